#include "fastintent/text/model_input.h"

#include "fastintent/common/error.h"

namespace fastintent::text {

void StoreLayoutNormalizer(const std::filesystem::path& table, const std::filesystem::path& model_dir) {
  std::error_code error;
  std::filesystem::copy_file(table, model_dir / kTextNormalizerFile, std::filesystem::copy_options::overwrite_existing,
                             error);
  if (error) {
    throw IoError("cannot copy the text normalizer " + table.string() + " into " + model_dir.string() + ": " +
                  error.message());
  }
}

std::shared_ptr<const LayoutNormalizer> LoadLayoutNormalizer(const std::filesystem::path& file) {
  return std::make_shared<const LayoutNormalizer>(LayoutNormalizer::FromFile(file));
}

ModelInput ModelInput::ForModel(const std::filesystem::path& model_dir, std::string prefix) {
  const auto file = model_dir / kTextNormalizerFile;
  return ModelInput(std::filesystem::is_regular_file(file) ? LoadLayoutNormalizer(file) : nullptr, std::move(prefix));
}

}  // namespace fastintent::text
