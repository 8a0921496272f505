#pragma once
// Load-time graph rewrite: each attention core in the form fastintent's plain export writes
// (src/export/plain_encoder.cpp SelfAttention: Reshape/Transpose of Q, K, V to heads, MatMul, Div by sqrt(d),
// Add of the Unsqueezed mask bias, Softmax, MatMul, Transpose, Reshape back) becomes one ai.fastintent::Attention
// node (attention_op.h) on the untransposed projections. fp32 and INT8 files have the same core (the quantizer
// leaves it float), so both are rewritten. A core that differs in any checked detail is left as it is; the model
// file on disk is never changed, so it stays portable to any ONNX runtime.
#include <onnx/onnx_pb.h>
#include <onnxruntime_cxx_api.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace fastintent::runtime::attention {

// Rewrites model in place; returns how many attention cores were replaced (0: the model is unchanged).
std::size_t UseNativeAttention(onnx::ModelProto& model);

// A rewritten model ready for Ort::Session(env, bytes.data(), bytes.size(), options) once
// options.AddExternalInitializers(initializer_names, initializers) is called. The weights are not serialized a
// second time: every tensor of 1 KiB or more is marked external in `bytes` and handed to ONNX Runtime as an
// OrtValue over its buffer in `weights`, which ONNX Runtime copies into its graph while the session is built; after
// that the struct can go. (AddInitializer, which would use them in place, still has ONNX Runtime 1.30 look for the
// external file and fail.) Measured on a 700 MB fp32 BERT-base: 2.9 s and a 1.55 GB peak against 2.3 s and
// 1.11 GB loading the file, both copies existing while the session is built (docs/runtime.md).
struct RewrittenModel {
  std::size_t cores = 0;  // 0: nothing replaced, load the file as it is (the other fields are empty)
  std::string bytes;
  // The tensors' data, moved out of the parsed model. Reserved up front and never grown past that, and a moved
  // vector keeps its elements where they are, so the OrtValues' pointers stay valid as long as the struct lives.
  std::vector<std::string> weights;
  std::vector<std::string> initializer_names;
  std::vector<Ort::Value> initializers;
};

// Reads an .onnx file and applies UseNativeAttention. A file that protobuf cannot parse, or whose tensors already
// live in external data files, comes back with 0 cores: the caller loads the file itself and ONNX Runtime reports
// what is wrong with it, if anything.
RewrittenModel RewriteModelFile(const std::filesystem::path& file);

}  // namespace fastintent::runtime::attention
