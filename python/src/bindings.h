#pragma once
// The classes of fastintent._core, one function per area (tokenizer_binding.cpp, classifier_binding.cpp).
#include <nanobind/nanobind.h>

namespace fastintent::python {

void BindTokenizer(nanobind::module_& module);
void BindClassifier(nanobind::module_& module);

}  // namespace fastintent::python
