#pragma once

#include "methods/method.hpp"

namespace nmfbench::demua {

MethodRegistration demua_registration();

}  // namespace nmfbench::demua
