#include "command_registry.h"

namespace fastintent::cli {

std::vector<Command>& Registry() {
  static std::vector<Command> commands;
  return commands;
}

}  // namespace fastintent::cli
