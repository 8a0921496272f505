#include "attention_op.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "attention_kernel.h"

namespace fastintent::runtime::attention {
namespace {

std::string DescribeShape(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

struct Call {
  AttentionShape shape;
  const float* q;
  const float* k;
  const float* v;
  const float* mask_bias;
  float* out;
};

class AttentionKernel {
 public:
  explicit AttentionKernel(const OrtKernelInfo* info) {
    Ort::ConstKernelInfo kernel_info(info);
    heads_ = kernel_info.GetAttribute<std::int64_t>("num_heads");
    scale_ = kernel_info.GetAttribute<float>("scale");
    if (heads_ <= 0) throw std::invalid_argument("ai.fastintent Attention: num_heads " + std::to_string(heads_));
  }

  OrtStatusPtr ComputeV2(OrtKernelContext* raw_context) {
    try {
      Compute(Ort::KernelContext(raw_context));
      return nullptr;
    } catch (const std::exception& e) {
      return Ort::GetApi().CreateStatus(ORT_INVALID_ARGUMENT, e.what());
    }
  }

 private:
  void Compute(const Ort::KernelContext& context) const {
    const Ort::ConstValue q = context.GetInput(0);
    const std::vector<std::int64_t> shape = q.GetTensorTypeAndShapeInfo().GetShape();
    const auto fail = [&](const std::string& what) {
      throw std::invalid_argument("ai.fastintent Attention: " + what + " (q " + DescribeShape(shape) + ", num_heads " +
                                  std::to_string(heads_) + ")");
    };
    if (shape.size() != 3 || shape[2] % heads_ != 0) fail("q must be [batch, length, num_heads * head_size]");
    for (std::size_t input = 1; input <= 2; ++input) {
      if (context.GetInput(input).GetTensorTypeAndShapeInfo().GetShape() != shape) {
        fail((input == 1 ? "k" : "v") + std::string(" has shape ") +
             DescribeShape(context.GetInput(input).GetTensorTypeAndShapeInfo().GetShape()));
      }
    }
    const Ort::ConstValue mask = context.GetInput(3);
    const std::vector<std::int64_t> mask_shape = mask.GetTensorTypeAndShapeInfo().GetShape();
    if (mask_shape != std::vector<std::int64_t>{shape[0], shape[1]}) {
      fail("mask_bias has shape " + DescribeShape(mask_shape) + ", expected [batch, length]");
    }
    Ort::UnownedValue out = context.GetOutput(0, shape);
    Call call{{static_cast<std::size_t>(shape[0]), static_cast<std::size_t>(shape[1]), static_cast<std::size_t>(heads_),
               static_cast<std::size_t>(shape[2] / heads_), scale_},
              q.GetTensorData<float>(),
              context.GetInput(1).GetTensorData<float>(),
              context.GetInput(2).GetTensorData<float>(),
              mask.GetTensorData<float>(),
              out.GetTensorMutableData<float>()};
    const std::size_t items = call.shape.batch * call.shape.heads;
    if (items == 0 || call.shape.length == 0) return;
    context.ParallelFor(
        [](void* data, std::size_t item) {
          const Call& c = *static_cast<const Call*>(data);
          AttendHeads(c.shape, c.q, c.k, c.v, c.mask_bias, c.out, item, item + 1);
        },
        items, 0, &call);
  }

  std::int64_t heads_ = 0;
  float scale_ = 1.0f;
};

struct AttentionOp : Ort::CustomOpBase<AttentionOp, AttentionKernel, /*WithStatus=*/true> {
  OrtStatusPtr CreateKernelV2(const OrtApi& api, const OrtKernelInfo* info, void** kernel) const {
    try {
      *kernel = new AttentionKernel(info);
      return nullptr;
    } catch (const std::exception& e) {
      return api.CreateStatus(ORT_INVALID_ARGUMENT, e.what());
    }
  }
  const char* GetName() const { return kOpName; }
  const char* GetExecutionProviderType() const { return "CPUExecutionProvider"; }
  std::size_t GetInputTypeCount() const { return 4; }
  ONNXTensorElementDataType GetInputType(std::size_t /*index*/) const { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; }
  std::size_t GetOutputTypeCount() const { return 1; }
  ONNXTensorElementDataType GetOutputType(std::size_t /*index*/) const { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; }
};

}  // namespace

void RegisterAttentionOp(Ort::SessionOptions& options) {
  // Leaked on purpose, like the process's Ort::Env: sessions keep pointers to the domain and the op.
  static Ort::CustomOpDomain* domain = [] {
    static AttentionOp op;
    auto* created = new Ort::CustomOpDomain(kDomain);
    created->Add(&op);
    return created;
  }();
  options.Add(*domain);
}

}  // namespace fastintent::runtime::attention
