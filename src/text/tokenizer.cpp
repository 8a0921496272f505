// Tokenizer: loading, and assembling encodings (special tokens, truncation, padding) from sequence tokens.
#include "fastintent/text/tokenizer.h"

#include <algorithm>
#include <thread>

#include "fastintent/common/error.h"
#include "sequence_encoder.h"
#include "tokenizer_impl.h"

namespace fastintent::text {
namespace {

using detail::SequenceTokens;

struct ResolvedTruncation {
  std::size_t max_length;
  TruncationStrategy strategy;
  Side direction;
};

struct ResolvedPadding {
  PaddingStrategy strategy = PaddingStrategy::kNone;
  std::size_t length = 0;  // kMaxLength target
  std::size_t multiple = 0;
  Side direction = Side::kRight;
  std::int64_t pad_id = 0;
  std::int64_t pad_type_id = 0;
  std::string pad_token;
};

std::optional<ResolvedTruncation> ResolveTruncation(const Tokenizer::Impl& impl, const EncodeOptions& options) {
  if (options.truncation.has_value() && !*options.truncation) return std::nullopt;
  // An explicit max_length replaces the saved truncation with Hugging Face's defaults (longest_first, right),
  // as enable_truncation(max_length) and transformers' truncation=True, max_length=N do.
  ResolvedTruncation t{0, TruncationStrategy::kLongestFirst, Side::kRight};
  if (options.max_length) {
    t.max_length = *options.max_length;
    return t;
  }
  if (!options.truncation.has_value()) {
    if (!impl.truncation) return std::nullopt;
    t = {impl.truncation->max_length, impl.truncation->strategy, impl.truncation->direction};
    return t;
  }
  // truncation=true without a length: the saved one, else model_max_length (as transformers does).
  if (impl.truncation) {
    t = {impl.truncation->max_length, impl.truncation->strategy, impl.truncation->direction};
  } else if (impl.saved_max_length) {
    t.max_length = *impl.saved_max_length;
  } else {
    throw InvalidInput("truncation requested without max_length, and " + impl.source.string() +
                       " saves no maximum length");
  }
  return t;
}

ResolvedPadding ResolvePadding(const Tokenizer::Impl& impl, const EncodeOptions& options) {
  ResolvedPadding p;
  p.pad_id = impl.pad_id;
  p.pad_token = impl.pad_token;
  if (impl.padding) {
    p.direction = impl.padding->direction;
    p.pad_type_id = impl.padding->pad_type_id;
    p.multiple = impl.padding->pad_to_multiple_of.value_or(0);
  }
  if (options.pad_to_multiple_of) p.multiple = *options.pad_to_multiple_of;
  if (!options.padding.has_value()) {
    if (!impl.padding) {
      p.strategy = PaddingStrategy::kNone;
      return p;
    }
    p.strategy = impl.padding->strategy;
    p.length = impl.padding->fixed_length;
    return p;
  }
  p.strategy = *options.padding;
  if (p.strategy == PaddingStrategy::kMaxLength) {
    if (options.max_length) {
      p.length = *options.max_length;
    } else if (impl.padding && impl.padding->strategy == PaddingStrategy::kMaxLength) {
      p.length = impl.padding->fixed_length;
    } else if (impl.saved_max_length) {
      p.length = *impl.saved_max_length;
    } else {
      throw InvalidInput("padding to max_length requested without max_length, and " + impl.source.string() +
                         " saves no maximum length");
    }
  }
  return p;
}

void Cut(SequenceTokens& seq, std::size_t keep, Side direction) {
  if (seq.ids.size() <= keep) return;
  auto cut = [&](auto& v) {
    if (v.size() <= keep) return;
    if (direction == Side::kRight) {
      v.resize(keep);
    } else {
      v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() - keep));
    }
  };
  cut(seq.ids);
  cut(seq.offsets);
  cut(seq.spaces);
}

// Returns true if anything was cut. `budget` excludes the special tokens.
bool Truncate(const Tokenizer::Impl& impl, const ResolvedTruncation& t, std::size_t budget, SequenceTokens& a,
              SequenceTokens* b) {
  const std::size_t n1 = a.ids.size();
  const std::size_t n2 = b ? b->ids.size() : 0;
  if (n1 + n2 <= budget) return false;
  const std::size_t to_remove = n1 + n2 - budget;
  const bool slow = impl.flavor == detail::Flavor::kTransformersSlow;
  if (budget == 0 && !slow) {  // tokenizers empties every sequence when nothing fits
    Cut(a, 0, t.direction);
    if (b) Cut(*b, 0, t.direction);
    return true;
  }
  if (b == nullptr && t.strategy == TruncationStrategy::kLongestFirst) {
    // transformers only logs an error when it would have to remove the whole sequence, and keeps it.
    if (slow && n1 <= to_remove) return false;
    Cut(a, budget, t.direction);
    return true;
  }
  if (b == nullptr || t.strategy == TruncationStrategy::kOnlyFirst || t.strategy == TruncationStrategy::kOnlySecond) {
    SequenceTokens* target = &a;
    if (t.strategy == TruncationStrategy::kOnlySecond && b != nullptr) target = b;
    if (t.strategy == TruncationStrategy::kOnlySecond && b == nullptr) {
      throw InvalidInput("truncation strategy only_second needs a second sequence, got a single text");
    }
    const std::size_t len = target->ids.size();
    if (len <= to_remove) {
      // transformers only logs an error here and leaves the input long; tokenizers fails.
      if (slow) return false;
      throw InvalidInput("cannot truncate to max_length " + std::to_string(t.max_length) + ": got a sequence of " +
                         std::to_string(len) + " tokens, expected more than the " + std::to_string(to_remove) +
                         " tokens to remove");
    }
    Cut(*target, len - to_remove, t.direction);
    return true;
  }
  std::size_t keep1 = n1;
  std::size_t keep2 = n2;
  if (impl.flavor == detail::Flavor::kHfTokenizers) {
    // tokenizers' LongestFirst: give the shorter one what it needs, split evenly if both are too long.
    std::size_t s = std::min(n1, n2);
    std::size_t l = std::max(n1, n2);
    l = s > budget ? s : std::max(s, budget - s);
    if (s + l > budget) {
      s = budget / 2;
      l = s + budget % 2;
    }
    keep1 = n1 > n2 ? l : s;
    keep2 = n1 > n2 ? s : l;
  } else {
    // transformers' longest_first: remove the length difference from the longer, then split the rest.
    const std::size_t diff = n1 > n2 ? n1 - n2 : n2 - n1;
    const std::size_t first_remove = std::min(diff, to_remove);
    const std::size_t second_remove = to_remove - first_remove;
    std::size_t remove1 = 0;
    std::size_t remove2 = 0;
    if (n1 > n2) {
      remove1 = first_remove + second_remove / 2;
      remove2 = second_remove - second_remove / 2;
    } else {
      remove1 = second_remove / 2;
      remove2 = first_remove + second_remove - second_remove / 2;
    }
    keep1 = n1 - std::min(n1, remove1);
    keep2 = n2 - std::min(n2, remove2);
  }
  Cut(a, keep1, t.direction);
  Cut(*b, keep2, t.direction);
  return true;
}

Encoding Assemble(const Tokenizer::Impl& impl, const SequenceTokens& a, const SequenceTokens* b,
                  const EncodeOptions& options) {
  Encoding enc;
  const std::size_t total = a.ids.size() + (b ? b->ids.size() : 0) + 4;
  enc.ids.reserve(total);
  enc.type_ids.reserve(total);
  if (options.with_offsets) enc.offsets.reserve(total);
  auto append = [&](const SequenceTokens& seq, std::int32_t type_id) {
    for (std::size_t i = 0; i < seq.ids.size(); ++i) {
      enc.ids.push_back(seq.ids[i]);
      enc.type_ids.push_back(type_id);
      if (options.with_offsets) enc.offsets.emplace_back(seq.offsets[i].first, seq.offsets[i].second);
    }
  };
  // Without special tokens the sequences still take their type ids from the template, as Hugging Face's
  // post-processors do.
  using Kind = detail::TemplatePart::Kind;
  for (const detail::TemplatePart& part : b ? impl.post.pair : impl.post.single) {
    if (part.kind == Kind::kSequenceA) {
      append(a, part.type_id);
    } else if (part.kind == Kind::kSequenceB) {
      if (b) append(*b, part.type_id);
    } else if (options.add_special_tokens) {
      for (std::int32_t id : part.ids) {
        enc.ids.push_back(id);
        enc.type_ids.push_back(part.type_id);
        if (options.with_offsets) enc.offsets.emplace_back(0, 0);
      }
    }
  }
  enc.attention_mask.assign(enc.ids.size(), 1);
  return enc;
}

void Pad(Encoding& enc, std::size_t target, const ResolvedPadding& p, const EncodeOptions& options) {
  if (enc.ids.size() >= target) return;
  const std::size_t n = target - enc.ids.size();
  auto pad = [&](auto& v, auto value) {
    if (p.direction == Side::kRight) {
      v.insert(v.end(), n, value);
    } else {
      v.insert(v.begin(), n, value);
    }
  };
  pad(enc.ids, p.pad_id);
  pad(enc.attention_mask, std::int64_t{0});
  pad(enc.type_ids, p.pad_type_id);
  if (options.with_offsets) pad(enc.offsets, std::pair<std::size_t, std::size_t>{0, 0});
  if (options.with_tokens) pad(enc.tokens, p.pad_token);
}

std::size_t RoundUp(std::size_t length, std::size_t multiple) {
  if (multiple == 0 || length % multiple == 0) return length;
  return (length / multiple + 1) * multiple;
}

// Encodes without padding; the caller pads (a batch pads to its longest).
Encoding EncodeUnpadded(const Tokenizer::Impl& impl, std::string_view first, const std::string_view* second,
                        const EncodeOptions& options) {
  detail::EncoderScratch& scratch = detail::ThreadScratch();
  SequenceTokens a;
  SequenceTokens b;
  detail::EncodeSequence(impl, first, scratch, a);
  if (second) detail::EncodeSequence(impl, *second, scratch, b);
  bool truncated = false;
  if (const auto t = ResolveTruncation(impl, options)) {
    const std::size_t added = options.add_special_tokens ? impl.post.AddedCount(second != nullptr) : 0;
    if (t->max_length < added) {
      throw InvalidInput("max_length " + std::to_string(t->max_length) + " is too small: got " + std::to_string(added) +
                         " special tokens to fit, expected max_length >= " + std::to_string(added));
    }
    truncated = Truncate(impl, *t, t->max_length - added, a, second ? &b : nullptr);
  }
  if (impl.post.trim_offsets) {
    detail::TrimOffsets(first, a.spaces, impl.post.add_prefix_space, a.offsets);
    if (second) detail::TrimOffsets(*second, b.spaces, impl.post.add_prefix_space, b.offsets);
  }
  Encoding enc = Assemble(impl, a, second ? &b : nullptr, options);
  enc.truncated = truncated;
  if (options.with_tokens) {
    enc.tokens.reserve(enc.ids.size());
    for (std::int64_t id : enc.ids) enc.tokens.push_back(detail::IdToTokenOf(impl, id));
  }
  return enc;
}

}  // namespace

std::string detail::IdToTokenOf(const Tokenizer::Impl& impl, std::int64_t id) {
  if (id >= 0 && static_cast<std::size_t>(id) < impl.model->size())
    return impl.model->token(static_cast<std::int32_t>(id));
  const std::int64_t index = id - impl.added_id_base;
  if (index >= 0 && static_cast<std::size_t>(index) < impl.added_token_text.size()) {
    return impl.added_token_text[static_cast<std::size_t>(index)];
  }
  return {};
}

Tokenizer Tokenizer::Load(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (std::filesystem::is_regular_file(path / "tokenizer.json", ec))
      return Tokenizer(LoadTokenizerJson(path / "tokenizer.json"));
    if (std::filesystem::is_regular_file(path / "vocab.txt", ec)) return Tokenizer(LoadVocabTxt(path));
    throw IoError("tokenizer directory " + path.string() + ": got neither tokenizer.json nor vocab.txt, expected one");
  }
  if (std::filesystem::is_regular_file(path, ec)) {
    if (path.filename() == "vocab.txt") return Tokenizer(LoadVocabTxt(path.parent_path()));
    return Tokenizer(LoadTokenizerJson(path));
  }
  throw IoError("tokenizer path " + path.string() + " does not exist (expected a directory or a tokenizer.json)");
}

Tokenizer::Tokenizer(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Encoding Tokenizer::Encode(std::string_view text, const EncodeOptions& options) const {
  Encoding enc = EncodeUnpadded(*impl_, text, nullptr, options);
  const ResolvedPadding p = ResolvePadding(*impl_, options);
  if (p.strategy == PaddingStrategy::kMaxLength) Pad(enc, RoundUp(p.length, p.multiple), p, options);
  if (p.strategy == PaddingStrategy::kLongest) Pad(enc, RoundUp(enc.ids.size(), p.multiple), p, options);
  return enc;
}

Encoding Tokenizer::EncodePair(std::string_view first, std::string_view second, const EncodeOptions& options) const {
  Encoding enc = EncodeUnpadded(*impl_, first, &second, options);
  const ResolvedPadding p = ResolvePadding(*impl_, options);
  if (p.strategy == PaddingStrategy::kMaxLength) Pad(enc, RoundUp(p.length, p.multiple), p, options);
  if (p.strategy == PaddingStrategy::kLongest) Pad(enc, RoundUp(enc.ids.size(), p.multiple), p, options);
  return enc;
}

std::vector<Encoding> Tokenizer::EncodeBatch(const std::vector<std::string>& texts, const EncodeOptions& options,
                                             std::size_t threads) const {
  const ResolvedPadding p = ResolvePadding(*impl_, options);
  std::vector<Encoding> out(texts.size());
  const std::size_t workers = std::max<std::size_t>(1, std::min(threads, texts.size()));
  auto run = [&](std::size_t worker) {
    for (std::size_t i = worker; i < texts.size(); i += workers)
      out[i] = EncodeUnpadded(*impl_, texts[i], nullptr, options);
  };
  if (workers == 1) {
    run(0);
  } else {
    std::vector<std::exception_ptr> errors(workers);
    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) {
      pool.emplace_back([&, w] {
        try {
          run(w);
        } catch (...) {
          errors[w] = std::current_exception();
        }
      });
    }
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
  std::size_t target = 0;
  if (p.strategy == PaddingStrategy::kMaxLength) target = RoundUp(p.length, p.multiple);
  if (p.strategy == PaddingStrategy::kLongest) {
    for (const Encoding& e : out) target = std::max(target, e.ids.size());
    target = RoundUp(target, p.multiple);
  }
  if (p.strategy != PaddingStrategy::kNone) {
    for (Encoding& e : out) Pad(e, target, p, options);
  }
  return out;
}

std::int64_t Tokenizer::pad_id() const { return impl_->pad_id; }

std::optional<std::int64_t> Tokenizer::TokenToId(std::string_view token) const {
  const std::int32_t id = impl_->model->Find(token);
  if (id >= 0) return id;
  for (std::size_t i = 0; i < impl_->added_token_text.size(); ++i) {
    if (impl_->added_token_text[i] == token) return impl_->added_id_base + static_cast<std::int64_t>(i);
  }
  return std::nullopt;
}

std::string Tokenizer::IdToToken(std::int64_t id) const { return detail::IdToTokenOf(*impl_, id); }

std::size_t Tokenizer::vocab_size() const { return impl_->model->size() + impl_->added_token_text.size(); }

std::optional<std::size_t> Tokenizer::saved_max_length() const { return impl_->saved_max_length; }

}  // namespace fastintent::text
