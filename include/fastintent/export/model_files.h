#pragma once
// File names inside a model directory (the Hugging Face / Optimum export layout) and small file helpers
// shared by export and quantize.
#include <filesystem>
#include <string>

namespace fastintent::exporter {

inline constexpr const char* kModelFile = "model.onnx";
inline constexpr const char* kQuantizedModelFile = "model_quantized.onnx";
// Copied from the checkpoint by export, and kept by quantize. valid_split.csv is the validation split training
// held out (quantize's accuracy gate uses it by default); text_normalizer.json the keyboard-layout normalizer
// (text/model_input.h).
inline constexpr const char* kCopiedFiles[] = {"config.json",           "tokenizer.json",          "vocab.txt",
                                               "tokenizer_config.json", "special_tokens_map.json", "valid_split.csv",
                                               "text_normalizer.json"};

// Throws IoError naming the file.
std::string ReadBinaryFile(const std::filesystem::path& file);
void WriteBinaryFile(const std::filesystem::path& file, const std::string& bytes);

}  // namespace fastintent::exporter
