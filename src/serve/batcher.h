#pragma once
// Dynamic batching for one loaded model. One thread owns a bounded queue of tokenized texts; it closes a
// batch at a padded-token budget or a text cap and hands it to one of N inference threads the moment a
// thread is free, so there is no fixed wait at low load and batches grow by themselves under load (the
// queue fills while the current batches run). Within a batch texts are sorted by length. Texts of one
// request are independent jobs and may land in different batches. Jobs whose request was cancelled (the
// client went away) are dropped before inference. Knows nothing about HTTP or ONNX Runtime: the runner
// is a function, so tests drive it with a fake classifier.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fastintent/runtime/classifier.h"
#include "fastintent/serve/serve_config.h"

namespace fastintent::serve {

// Runs one batch (sorted by length; one model call) and returns predictions in the same order. May throw.
using BatchRunner =
    std::function<std::vector<runtime::Prediction>(const std::vector<runtime::PreparedText>&, std::size_t top_k)>;

// Per-text timing, filled when the text's batch finishes.
struct TextTiming {
  std::chrono::nanoseconds queue{0};      // admitted -> its batch started
  std::chrono::nanoseconds inference{0};  // its batch's run time
  std::size_t batch_size = 0;
};

// One admitted request (one or more texts). Completed by the inference threads; its submitter either waits on
// it (WaitUntil) or is called back when it is done (OnDone), so the HTTP front holds no thread while it waits.
class PendingRequest {
 public:
  explicit PendingRequest(std::size_t texts);

  // Blocks until every text is done or failed, or until `deadline`. True when complete.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline) const;
  bool done() const;
  // Calls `callback` once when the request is done (every text completed, or a batch holding one failed): at once
  // on this thread if it already is, else on the thread that finishes it (an inference thread; keep it short).
  // One callback per request; it is released after the call.
  void OnDone(std::function<void()> callback);
  // Marks the request as abandoned: its texts still queued are dropped. Safe from any thread.
  void Cancel();
  bool cancelled() const;

  // Valid after completion. Rethrows the runner's exception if a batch holding one of its texts failed.
  const std::vector<runtime::Prediction>& results() const;
  const std::vector<TextTiming>& timings() const;

 private:
  friend class Batcher;
  void Complete(std::size_t index, runtime::Prediction prediction, TextTiming timing);
  void Fail(std::exception_ptr error);

  mutable std::mutex mutex_;
  mutable std::condition_variable done_cv_;
  std::vector<runtime::Prediction> results_;
  std::vector<TextTiming> timings_;
  std::size_t remaining_;
  std::exception_ptr error_;
  bool cancelled_ = false;
  std::function<void()> on_done_;  // called (outside the lock) by whoever makes the request done
};

enum class SubmitStatus { kAdmitted, kQueueFull, kStopped };

struct BatcherStats {
  std::size_t queued_texts = 0;  // waiting for a batch
  std::size_t running_batches = 0;
  std::size_t idle_slots = 0;  // inference slots free for a batch (or an inline run)
};

// Observers for metrics; called from the batcher's threads (on_queue_depth under the queue lock, so
// it must not call back into the batcher), must be thread-safe and cheap.
struct BatcherObserver {
  std::function<void(std::size_t batch_texts, std::size_t batch_tokens)> on_batch;
  std::function<void(std::size_t queued_texts)> on_queue_depth;
  std::function<void(std::size_t dropped_texts)> on_dropped;
};

class Batcher {
 public:
  Batcher(BatchRunner runner, BatcherOptions options, BatcherObserver observer = {});
  ~Batcher();  // Shutdown()
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // Admits all texts of a request or none: kQueueFull when they do not fit in the free queue space,
  // kStopped after Shutdown began. `texts` must outlive nothing: they are moved in. With
  // run_inline_when_idle and `may_run_inline` the request may be complete when this returns (it ran on this
  // thread); a caller whose thread must not block on a model call passes false.
  SubmitStatus Submit(const std::shared_ptr<PendingRequest>& request, std::vector<runtime::PreparedText> texts,
                      std::size_t top_k, bool may_run_inline = true);

  // A cheap early answer for callers that must do work (tokenizing) before Submit: false when a request of
  // `texts` texts would surely get kQueueFull now, so it can be refused before that work. Only a hint (the
  // queue moves on); Submit stays the decision.
  bool MayAdmit(std::size_t texts) const;

  // Stops admitting, finishes every admitted text (inline runs included), joins the threads. Idempotent.
  void Shutdown();

  BatcherStats stats() const;
  const BatcherOptions& options() const { return options_; }

 private:
  struct Job {
    std::shared_ptr<PendingRequest> request;
    std::size_t index = 0;
    runtime::PreparedText text;
    std::size_t top_k = 1;
    std::chrono::steady_clock::time_point admitted;
  };
  struct Batch {
    std::vector<Job> jobs;
    std::chrono::steady_clock::time_point formed;
  };

  void SchedulerLoop();
  void InferenceLoop();
  Batch FormBatch();                                 // called with mutex_ held; queue not empty
  static void SortByLength(std::vector<Job>& jobs);  // stable: equal lengths keep their order
  // Called with mutex_ held: may this request skip the queue and run on the caller's thread now?
  bool CanRunInline(const std::vector<runtime::PreparedText>& texts) const;
  void RunInline(const std::shared_ptr<PendingRequest>& request, std::vector<runtime::PreparedText> texts,
                 std::size_t top_k, std::chrono::steady_clock::time_point admitted);
  void RunBatch(Batch batch);
  // One model call over jobs [begin, end) of a sorted batch; completes or fails their requests.
  void RunCall(std::vector<Job>& jobs, std::size_t begin, std::size_t end);

  const BatchRunner runner_;
  const BatcherOptions options_;
  const BatcherObserver observer_;

  mutable std::mutex mutex_;
  std::condition_variable scheduler_cv_;    // queue got work, or a worker became free, or stopping
  std::condition_variable worker_cv_;       // a batch is ready, or stopping
  std::condition_variable inline_done_cv_;  // an inline run finished (Shutdown waits for all of them)
  std::deque<Job> queue_;
  std::deque<Batch> ready_;  // formed batches waiting for a worker (at most idle workers)
  std::size_t idle_workers_ = 0;
  std::size_t running_batches_ = 0;  // inline runs included
  std::size_t inline_runs_ = 0;
  bool stopping_ = false;
  bool scheduler_done_ = false;

  std::thread scheduler_;
  std::vector<std::thread> workers_;
  std::once_flag shutdown_once_;
};

}  // namespace fastintent::serve
