#pragma once
// Errors that stop a request. Numerical trouble inside a run is not an error: it is
// recorded as run diagnostics (engine/run/diagnostics.hpp).
#include <stdexcept>
#include <string>

namespace latwin {

// Base of every exception latwin throws on purpose; main() maps it to exit code kExitUsage
// or kExitInput and prints what() as is, so messages must read well to an analyst.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input from a file: the message already carries file:line:col and a caret excerpt.
class InputError : public Error {
 public:
  using Error::Error;
};

// A model that parses but cannot be compiled or run as asked (unknown variable, bad option).
class ModelError : public Error {
 public:
  using Error::Error;
};

// A run that the ensemble's error policy stopped (NaN, stock out of its declared range).
class RunStopped : public Error {
 public:
  using Error::Error;
};

// Exit codes, in one place so the CLI and scripts agree.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // a check found problems, or a run was stopped
inline constexpr int kExitInput = 2;     // bad input: model, data or option
inline constexpr int kExitInternal = 70; // a bug in latwin (EX_SOFTWARE)

}  // namespace latwin
