#include "batcher.h"

#include <algorithm>
#include <utility>

#include "fastintent/common/error.h"

namespace fastintent::serve {
namespace {

class RequestCancelled : public Error {
 public:
  RequestCancelled() : Error("request cancelled: the client went away before its texts ran") {}
};

}  // namespace

PendingRequest::PendingRequest(std::size_t texts) : results_(texts), timings_(texts), remaining_(texts) {}

bool PendingRequest::WaitUntil(std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return done_cv_.wait_until(lock, deadline, [&] { return remaining_ == 0 || error_ != nullptr; });
}

bool PendingRequest::done() const {
  std::lock_guard lock(mutex_);
  return remaining_ == 0 || error_ != nullptr;
}

void PendingRequest::OnDone(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (remaining_ != 0 && error_ == nullptr) {
      on_done_ = std::move(callback);
      return;
    }
  }
  callback();
}

void PendingRequest::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
}

bool PendingRequest::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

const std::vector<runtime::Prediction>& PendingRequest::results() const {
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
  return results_;
}

const std::vector<TextTiming>& PendingRequest::timings() const {
  std::lock_guard lock(mutex_);
  return timings_;
}

void PendingRequest::Complete(std::size_t index, runtime::Prediction prediction, TextTiming timing) {
  std::function<void()> on_done;
  {
    std::lock_guard lock(mutex_);
    if (error_) return;  // already done (failed); the callback ran then
    results_[index] = std::move(prediction);
    timings_[index] = timing;
    if (remaining_ > 0) --remaining_;
    if (remaining_ != 0) return;
    on_done = std::move(on_done_);
  }
  done_cv_.notify_all();
  if (on_done) on_done();
}

void PendingRequest::Fail(std::exception_ptr error) {
  std::function<void()> on_done;
  {
    std::lock_guard lock(mutex_);
    if (error_ || remaining_ == 0) return;  // done already
    error_ = std::move(error);
    on_done = std::move(on_done_);
  }
  done_cv_.notify_all();
  if (on_done) on_done();
}

Batcher::Batcher(BatchRunner runner, BatcherOptions options, BatcherObserver observer)
    : runner_(std::move(runner)), options_(options), observer_(std::move(observer)) {
  if (!runner_) throw InvalidInput("Batcher: got an empty runner, expected a function that runs a batch");
  if (options_.inference_threads == 0 || options_.max_batch_texts == 0 || options_.max_batch_tokens == 0 ||
      options_.queue_capacity == 0) {
    throw InvalidInput("Batcher: inference_threads, max_batch_texts, max_batch_tokens and queue_capacity must be >= 1");
  }
  scheduler_ = std::thread([this] { SchedulerLoop(); });
  workers_.reserve(options_.inference_threads);
  for (std::size_t i = 0; i < options_.inference_threads; ++i) workers_.emplace_back([this] { InferenceLoop(); });
}

Batcher::~Batcher() { Shutdown(); }

SubmitStatus Batcher::Submit(const std::shared_ptr<PendingRequest>& request, std::vector<runtime::PreparedText> texts,
                             std::size_t top_k, bool may_run_inline) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::unique_lock lock(mutex_);
    if (stopping_) return SubmitStatus::kStopped;
    if (may_run_inline && CanRunInline(texts)) {
      // Take a free inference slot so the scheduler cannot hand out more batches than there are slots.
      --idle_workers_;
      ++running_batches_;
      ++inline_runs_;
      lock.unlock();
      RunInline(request, std::move(texts), top_k, now);
      return SubmitStatus::kAdmitted;
    }
    if (queue_.size() + texts.size() > options_.queue_capacity) return SubmitStatus::kQueueFull;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      queue_.push_back(Job{request, i, std::move(texts[i]), std::max<std::size_t>(top_k, 1), now});
    }
    // Reported under the lock so the gauge never shows an older depth after a newer one.
    if (observer_.on_queue_depth) observer_.on_queue_depth(queue_.size());
  }
  scheduler_cv_.notify_one();
  return SubmitStatus::kAdmitted;
}

bool Batcher::MayAdmit(std::size_t texts) const {
  std::lock_guard lock(mutex_);
  // Capacity only: a stopping batcher is left to Submit, whose kStopped sends the caller to the model's new slot.
  // An empty queue may still run the request inline, whatever its size; otherwise it must fit.
  return queue_.empty() || queue_.size() + texts <= options_.queue_capacity;
}

void Batcher::SortByLength(std::vector<Job>& jobs) {
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const Job& a, const Job& b) { return a.text.cost() < b.text.cost(); });
}

bool Batcher::CanRunInline(const std::vector<runtime::PreparedText>& texts) const {
  if (!options_.run_inline_when_idle || !queue_.empty() || idle_workers_ <= ready_.size()) return false;
  if (texts.empty() || texts.size() > options_.max_batch_texts) return false;
  std::size_t longest = 0;
  for (const auto& text : texts) longest = std::max(longest, text.cost());
  // One text always fits, as in FormBatch: a batch never splits a text.
  return texts.size() == 1 || texts.size() * longest <= options_.max_batch_tokens;
}

void Batcher::RunInline(const std::shared_ptr<PendingRequest>& request, std::vector<runtime::PreparedText> texts,
                        std::size_t top_k, std::chrono::steady_clock::time_point admitted) {
  Batch batch;
  batch.jobs.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    batch.jobs.push_back(Job{request, i, std::move(texts[i]), std::max<std::size_t>(top_k, 1), admitted});
  }
  SortByLength(batch.jobs);
  batch.formed = std::chrono::steady_clock::now();
  RunBatch(std::move(batch));  // never throws: a failing runner fails the request
  {
    std::lock_guard lock(mutex_);
    ++idle_workers_;
    --running_batches_;
    --inline_runs_;
  }
  scheduler_cv_.notify_one();  // the slot is free again
  inline_done_cv_.notify_all();
}

void Batcher::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    {
      std::unique_lock lock(mutex_);
      stopping_ = true;
      inline_done_cv_.wait(lock, [&] { return inline_runs_ == 0; });
    }
    scheduler_cv_.notify_all();
    if (scheduler_.joinable()) scheduler_.join();
    for (auto& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  });
}

BatcherStats Batcher::stats() const {
  std::lock_guard lock(mutex_);
  return BatcherStats{queue_.size(), running_batches_, idle_workers_};
}

void Batcher::SchedulerLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    scheduler_cv_.wait(
        lock, [&] { return (stopping_ && queue_.empty()) || (!queue_.empty() && idle_workers_ > ready_.size()); });
    if (queue_.empty()) break;  // stopping and everything admitted has been handed out
    Batch batch = FormBatch();
    if (observer_.on_queue_depth) observer_.on_queue_depth(queue_.size());
    if (!batch.jobs.empty()) {
      ready_.push_back(std::move(batch));
      worker_cv_.notify_one();
    }
  }
  scheduler_done_ = true;
  lock.unlock();
  worker_cv_.notify_all();
}

Batcher::Batch Batcher::FormBatch() {
  Batch batch;
  std::size_t longest = 0;
  std::size_t dropped = 0;
  while (!queue_.empty() && batch.jobs.size() < options_.max_batch_texts) {
    Job& next = queue_.front();
    if (next.request->cancelled()) {
      next.request->Fail(std::make_exception_ptr(RequestCancelled()));
      queue_.pop_front();
      ++dropped;
      continue;
    }
    const std::size_t new_longest = std::max(longest, next.text.cost());
    const std::size_t padded = (batch.jobs.size() + 1) * new_longest;
    if (!batch.jobs.empty() && padded > options_.max_batch_tokens) break;
    longest = new_longest;
    batch.jobs.push_back(std::move(next));
    queue_.pop_front();
  }
  SortByLength(batch.jobs);
  batch.formed = std::chrono::steady_clock::now();
  if (dropped > 0 && observer_.on_dropped) observer_.on_dropped(dropped);
  return batch;
}

void Batcher::InferenceLoop() {
  std::unique_lock lock(mutex_);
  ++idle_workers_;
  scheduler_cv_.notify_one();
  for (;;) {
    worker_cv_.wait(lock, [&] { return !ready_.empty() || scheduler_done_; });
    if (ready_.empty()) break;
    Batch batch = std::move(ready_.front());
    ready_.pop_front();
    --idle_workers_;
    ++running_batches_;
    lock.unlock();
    RunBatch(std::move(batch));
    lock.lock();
    --running_batches_;
    ++idle_workers_;
    scheduler_cv_.notify_one();
  }
}

void Batcher::RunBatch(Batch batch) {
  std::vector<Job>& jobs = batch.jobs;
  const double limit = 1.0 + options_.max_padding_waste;
  std::size_t begin = 0;
  while (begin < jobs.size()) {
    std::size_t end = begin + 1;
    std::size_t real_tokens = jobs[begin].text.cost();
    if (options_.max_padding_waste < 0) {
      end = jobs.size();
    } else {
      // Sorted ascending, so the last text taken sets the padded length.
      while (end < jobs.size()) {
        const std::size_t longest = jobs[end].text.cost();
        const std::size_t tokens = real_tokens + longest;
        if (static_cast<double>((end - begin + 1) * longest) > limit * static_cast<double>(tokens)) break;
        real_tokens = tokens;
        ++end;
      }
    }
    RunCall(jobs, begin, end);
    begin = end;
  }
}

void Batcher::RunCall(std::vector<Job>& jobs, std::size_t begin, std::size_t end) {
  std::vector<runtime::PreparedText> texts;
  texts.reserve(end - begin);
  std::size_t top_k = 1;
  std::size_t longest = 0;
  for (std::size_t i = begin; i < end; ++i) {
    top_k = std::max(top_k, jobs[i].top_k);
    longest = std::max(longest, jobs[i].text.cost());
    texts.push_back(std::move(jobs[i].text));
  }
  if (observer_.on_batch) observer_.on_batch(texts.size(), texts.size() * longest);
  const auto started = std::chrono::steady_clock::now();
  std::vector<runtime::Prediction> predictions;
  try {
    predictions = runner_(texts, top_k);
    if (predictions.size() != texts.size()) {
      throw Error("batch runner returned " + std::to_string(predictions.size()) + " predictions for " +
                  std::to_string(texts.size()) + " texts");
    }
  } catch (...) {
    const auto error = std::current_exception();
    for (std::size_t i = begin; i < end; ++i) jobs[i].request->Fail(error);
    return;
  }
  const auto finished = std::chrono::steady_clock::now();
  for (std::size_t i = begin; i < end; ++i) {
    Job& job = jobs[i];
    runtime::Prediction& prediction = predictions[i - begin];
    if (prediction.top.size() > job.top_k) prediction.top.resize(job.top_k);
    TextTiming timing{std::chrono::duration_cast<std::chrono::nanoseconds>(started - job.admitted),
                      std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started), end - begin};
    job.request->Complete(job.index, std::move(prediction), timing);
  }
}

}  // namespace fastintent::serve
