#pragma once

#include <cxxabi.h>

#include <cstdlib>
#include <string>
#include <typeinfo>

namespace quiver::distributed::codec {

/// Returns the readable C++ name of a dynamic type (for "no codec for ..." errors).
inline std::string class_name(const std::type_info& type) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string out = status == 0 && demangled != nullptr ? demangled : type.name();
  std::free(demangled);
  return out;
}

}  // namespace quiver::distributed::codec
