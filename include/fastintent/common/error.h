#pragma once
// One error type per layer derives from fastintent::Error. Messages name the offending values
// ("got X, expected Y") and the file or field they came from. Callers at the edge (CLI mains, the HTTP
// error mapper) catch fastintent::Error and turn it into an exit code or a status code in one place.
#include <stdexcept>
#include <string>

namespace fastintent {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad caller input (a malformed file, a missing column, an unknown option value).
class InvalidInput : public Error {
 public:
  using Error::Error;
};

// A file or directory that cannot be read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace fastintent
