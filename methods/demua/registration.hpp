#pragma once

#include "methods/registry.hpp"

namespace nmfbench::demua {

MethodRegistration demua_registration();

}  // namespace nmfbench::demua
