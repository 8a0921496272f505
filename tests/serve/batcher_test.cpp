// The dynamic batcher against a fake runner; also built and run under ThreadSanitizer (docs/api.md).
#include "batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "fake_classifier.h"

namespace fastintent::serve {
namespace {

using testing::FakePredict;
using testing::FakeTokenize;
using Clock = std::chrono::steady_clock;

// Records every batch it runs; can hold batches at a gate so the queue fills behind them.
class RecordingRunner {
 public:
  BatchRunner runner() {
    return [this](const std::vector<runtime::PreparedText>& batch, std::size_t top_k) {
      {
        std::unique_lock lock(mutex_);
        std::vector<std::size_t> lengths;
        for (const auto& text : batch) lengths.push_back(text.ids.size());
        batches_.push_back(lengths);
        threads_.push_back(std::this_thread::get_id());
        ++entered_;
        entered_cv_.notify_all();
        gate_cv_.wait(lock, [&] { return open_; });
      }
      if (fail_) throw InvalidInput("fake runner failure");
      std::vector<runtime::Prediction> out;
      for (const auto& text : batch) out.push_back(FakePredict(text.ids, top_k));
      return out;
    };
  }
  void Close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    gate_cv_.notify_all();
  }
  void WaitEntered(std::size_t count) {
    std::unique_lock lock(mutex_);
    entered_cv_.wait(lock, [&] { return entered_ >= count; });
  }
  std::vector<std::vector<std::size_t>> batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  std::vector<std::thread::id> threads() {
    std::lock_guard lock(mutex_);
    return threads_;
  }
  std::atomic<bool> fail_{false};

 private:
  std::mutex mutex_;
  std::condition_variable gate_cv_;
  std::condition_variable entered_cv_;
  bool open_ = true;
  std::size_t entered_ = 0;
  std::vector<std::vector<std::size_t>> batches_;
  std::vector<std::thread::id> threads_;
};

std::vector<runtime::PreparedText> Tokens(const std::vector<std::string>& texts) {
  std::vector<runtime::PreparedText> out;
  for (const auto& text : texts) out.push_back(FakeTokenize(text, 512));
  return out;
}

std::shared_ptr<PendingRequest> SubmitTexts(Batcher& batcher, const std::vector<std::string>& texts,
                                            std::size_t top_k = 1, SubmitStatus expected = SubmitStatus::kAdmitted) {
  auto request = std::make_shared<PendingRequest>(texts.size());
  EXPECT_EQ(batcher.Submit(request, Tokens(texts), top_k), expected);
  return request;
}

void ExpectResults(const PendingRequest& request, const std::vector<std::string>& texts, std::size_t top_k) {
  ASSERT_TRUE(request.done());
  const auto& results = request.results();
  ASSERT_EQ(results.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto expected = FakePredict(FakeTokenize(texts[i], 512).ids, top_k);
    EXPECT_EQ(results[i].label, expected.label) << "text " << i << ": " << texts[i];
    EXPECT_FLOAT_EQ(results[i].score, expected.score);
    EXPECT_EQ(results[i].top.size(), expected.top.size());
  }
}

const auto kLongWait = std::chrono::seconds(30);

BatcherOptions InlineOptions(std::size_t slots) {
  BatcherOptions options{slots, 4096, 32, 64};
  options.run_inline_when_idle = true;
  return options;
}

// The inference threads announce themselves asynchronously after construction.
void WaitForIdleSlots(const Batcher& batcher, std::size_t slots) {
  const auto deadline = Clock::now() + kLongWait;
  while (batcher.stats().idle_slots < slots && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(batcher.stats().idle_slots, slots);
}

TEST(Batcher, AnswersOneTextWithoutAFixedWait) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 32, 16});
  const auto started = Clock::now();
  auto request = SubmitTexts(batcher, {"hello"});
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  // Nothing waits for a batch to fill: a lone text runs at once (generous bound for sanitizer builds).
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(500));
  ExpectResults(*request, {"hello"}, 1);
  EXPECT_EQ(request->timings()[0].batch_size, 1u);
}

TEST(Batcher, KeepsInputOrderWhileSortingEachBatchByLength) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 32, 64});
  const std::vector<std::string> texts = {"a much longer text than the others", "hi", "medium text", "x"};
  runner.Close();
  auto blocker = SubmitTexts(batcher, {"blocker"});
  runner.WaitEntered(1);
  auto request = SubmitTexts(batcher, texts, 3);
  runner.Open();
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*request, texts, 3);
  const auto batches = runner.batches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].size(), 4u);
  EXPECT_TRUE(std::is_sorted(batches[1].begin(), batches[1].end()));
}

TEST(Batcher, FormsBatchesFromTheQueueWhileABatchRuns) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 100000, 4, 64});
  runner.Close();
  auto first = SubmitTexts(batcher, {"first"});
  runner.WaitEntered(1);
  std::vector<std::shared_ptr<PendingRequest>> waiting;
  for (int i = 0; i < 10; ++i) waiting.push_back(SubmitTexts(batcher, {"text " + std::to_string(i)}));
  runner.Open();
  for (auto& request : waiting) ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  const auto batches = runner.batches();
  // 1 lone batch, then the 10 queued texts in batches capped at 4 texts: 4 + 4 + 2.
  ASSERT_EQ(batches.size(), 4u);
  EXPECT_EQ(batches[1].size(), 4u);
  EXPECT_EQ(batches[2].size(), 4u);
  EXPECT_EQ(batches[3].size(), 2u);
}

TEST(Batcher, ClosesABatchAtTheTokenBudget) {
  RecordingRunner runner;
  // Each text "abcdefgh" is 10 tokens; a budget of 30 padded tokens fits 3 of them.
  Batcher batcher(runner.runner(), {1, 30, 32, 64});
  runner.Close();
  auto first = SubmitTexts(batcher, {"x"});
  runner.WaitEntered(1);
  auto request = SubmitTexts(batcher, std::vector<std::string>(7, "abcdefgh"));
  runner.Open();
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  const auto batches = runner.batches();
  ASSERT_EQ(batches.size(), 4u);  // 1 + 3 + 3 + 1: one request spread over three batches
  for (std::size_t i = 1; i < batches.size(); ++i) {
    EXPECT_LE(batches[i].size() * batches[i].back(), 30u);
  }
  ExpectResults(*request, std::vector<std::string>(7, "abcdefgh"), 1);
}

TEST(Batcher, RunsATextOverTheBudgetAlone) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4, 32, 64});
  auto request = SubmitTexts(batcher, {"a text far longer than four tokens", "another long one"});
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  for (const auto& batch : runner.batches()) EXPECT_EQ(batch.size(), 1u);
}

TEST(Batcher, MayAdmitAnythingWhileTheQueueIsEmpty) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 32, 4});
  EXPECT_TRUE(batcher.MayAdmit(1));
  EXPECT_TRUE(batcher.MayAdmit(100)) << "an empty queue leaves the decision to Submit (inline runs)";
}

TEST(Batcher, RejectsARequestThatDoesNotFitTheQueueWhole) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 32, 4});
  runner.Close();
  auto first = SubmitTexts(batcher, {"running"});
  runner.WaitEntered(1);
  auto three = SubmitTexts(batcher, {"a", "b", "c"});
  EXPECT_TRUE(batcher.MayAdmit(1));
  EXPECT_FALSE(batcher.MayAdmit(2)) << "the early hint agrees with Submit";
  auto too_many = SubmitTexts(batcher, {"d", "e"}, 1, SubmitStatus::kQueueFull);
  EXPECT_EQ(batcher.stats().queued_texts, 3u);  // all or nothing: none of d, e was queued
  auto one = SubmitTexts(batcher, {"f"});
  EXPECT_FALSE(batcher.MayAdmit(1)) << "full queue";
  runner.Open();
  ASSERT_TRUE(one->WaitUntil(Clock::now() + kLongWait));
  ASSERT_TRUE(three->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*three, {"a", "b", "c"}, 1);
}

TEST(Batcher, DropsTextsOfCancelledRequests) {
  RecordingRunner runner;
  std::atomic<std::size_t> dropped{0};
  BatcherObserver observer;
  observer.on_dropped = [&](std::size_t n) { dropped += n; };
  Batcher batcher(runner.runner(), {1, 4096, 32, 64}, observer);
  runner.Close();
  auto first = SubmitTexts(batcher, {"running"});
  runner.WaitEntered(1);
  auto gone = SubmitTexts(batcher, {"client went away", "and this"});
  auto kept = SubmitTexts(batcher, {"still here"});
  gone->Cancel();
  runner.Open();
  ASSERT_TRUE(kept->WaitUntil(Clock::now() + kLongWait));
  EXPECT_EQ(dropped.load(), 2u);
  const auto batches = runner.batches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].size(), 1u);
  EXPECT_THROW((void)gone->results(), Error);
}

TEST(Batcher, ShutdownFinishesEveryAdmittedTextAndRefusesNewOnes) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {2, 64, 3, 256});
  std::vector<std::shared_ptr<PendingRequest>> requests;
  std::vector<std::vector<std::string>> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back({"text " + std::to_string(i), "more " + std::to_string(i * 7)});
    requests.push_back(SubmitTexts(batcher, texts.back()));
  }
  batcher.Shutdown();
  for (std::size_t i = 0; i < requests.size(); ++i) ExpectResults(*requests[i], texts[i], 1);
  SubmitTexts(batcher, {"late"}, 1, SubmitStatus::kStopped);
}

TEST(Batcher, AFailingBatchFailsItsRequestsOnly) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 32, 64});
  runner.fail_ = true;
  auto failed = SubmitTexts(batcher, {"boom"});
  ASSERT_TRUE(failed->WaitUntil(Clock::now() + kLongWait));
  EXPECT_THROW((void)failed->results(), InvalidInput);
  runner.fail_ = false;
  auto ok = SubmitTexts(batcher, {"fine"});
  ASSERT_TRUE(ok->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*ok, {"fine"}, 1);
}

TEST(Batcher, InlineWhenIdleRunsTheRequestOnTheCallersThread) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), InlineOptions(1));
  WaitForIdleSlots(batcher, 1);
  const std::vector<std::string> texts = {"a longer text here", "hi"};
  auto request = SubmitTexts(batcher, texts, 2);
  ASSERT_TRUE(request->done()) << "an idle batcher should have run the request before Submit returned";
  ExpectResults(*request, texts, 2);
  ASSERT_EQ(runner.threads().size(), 1u);
  EXPECT_EQ(runner.threads()[0], std::this_thread::get_id());
  EXPECT_EQ(runner.batches()[0], (std::vector<std::size_t>{4, 20}));  // sorted by length, as queued batches are
  EXPECT_EQ(request->timings()[1].batch_size, 2u);
  WaitForIdleSlots(batcher, 1);  // the slot is given back
}

TEST(Batcher, InlineWhenIdleQueuesWhileEverySlotIsBusy) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), InlineOptions(1));
  WaitForIdleSlots(batcher, 1);
  runner.Close();
  std::shared_ptr<PendingRequest> blocker;
  std::thread holder([&] { blocker = SubmitTexts(batcher, {"holds the only slot"}); });
  runner.WaitEntered(1);
  EXPECT_EQ(batcher.stats().idle_slots, 0u);
  auto queued = SubmitTexts(batcher, {"must wait"});
  EXPECT_FALSE(queued->done());
  EXPECT_EQ(batcher.stats().queued_texts, 1u);
  runner.Open();
  holder.join();
  ASSERT_TRUE(queued->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*queued, {"must wait"}, 1);
  ExpectResults(*blocker, {"holds the only slot"}, 1);
  const auto threads = runner.threads();
  ASSERT_EQ(threads.size(), 2u);
  EXPECT_NE(threads[0], std::this_thread::get_id());  // the holder's thread
  EXPECT_NE(threads[1], std::this_thread::get_id());  // an inference thread
}

TEST(Batcher, InlineWhenIdleSkipsTheQueueOnlyForARequestThatFitsOneBatch) {
  RecordingRunner runner;
  BatcherOptions options = InlineOptions(1);
  options.max_batch_texts = 2;
  Batcher batcher(runner.runner(), options);
  WaitForIdleSlots(batcher, 1);
  const std::vector<std::string> texts = {"one", "two", "three"};
  auto request = SubmitTexts(batcher, texts);
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*request, texts, 1);
  const auto batches = runner.batches();
  ASSERT_EQ(batches.size(), 2u);  // 2 + 1 texts, through the queue
  EXPECT_NE(runner.threads()[0], std::this_thread::get_id());
}

TEST(Batcher, SplitsABatchIntoCallsThatPadLittle) {
  RecordingRunner runner;
  BatcherOptions options{1, 4096, 32, 64};
  options.max_padding_waste = 0.25;
  Batcher batcher(runner.runner(), options);
  runner.Close();
  auto blocker = SubmitTexts(batcher, {"blocker"});
  runner.WaitEntered(1);
  // Token lengths 22, 3, 20, 4 (the fake tokenizer adds 2 to the characters).
  const std::vector<std::string> texts = {std::string(20, 'x'), "a", std::string(18, 'y'), "ab"};
  auto request = SubmitTexts(batcher, texts, 2);
  runner.Open();
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*request, texts, 2);
  // One batch of four, run as two calls: 2 x 4 <= 1.25 x 7, but adding 20 would pad 3 x 20 > 1.25 x 27.
  const auto batches = runner.batches();
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[1], (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(batches[2], (std::vector<std::size_t>{20, 22}));
  EXPECT_EQ(request->timings()[0].batch_size, 2u);
}

TEST(Batcher, ShutdownWaitsForInlineRuns) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), InlineOptions(1));
  WaitForIdleSlots(batcher, 1);
  runner.Close();
  std::shared_ptr<PendingRequest> running;
  std::thread client([&] { running = SubmitTexts(batcher, {"still running"}); });
  runner.WaitEntered(1);
  std::atomic<bool> shutdown_returned{false};
  std::thread stopper([&] {
    batcher.Shutdown();
    shutdown_returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(shutdown_returned.load()) << "Shutdown returned while an admitted inline run was unfinished";
  runner.Open();
  stopper.join();
  client.join();
  ExpectResults(*running, {"still running"}, 1);
  SubmitTexts(batcher, {"late"}, 1, SubmitStatus::kStopped);
}

void ManyClientsGetTheirOwnAnswers(bool run_inline_when_idle) {
  RecordingRunner runner;
  std::atomic<std::size_t> observed_batches{0};
  BatcherObserver observer;
  observer.on_batch = [&](std::size_t, std::size_t) { ++observed_batches; };
  observer.on_queue_depth = [](std::size_t) {};
  BatcherOptions options{2, 512, 8, 1024};
  options.run_inline_when_idle = run_inline_when_idle;
  Batcher batcher(runner.runner(), options, observer);
  constexpr int kThreads = 8;
  constexpr int kRequests = 150;
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      for (int r = 0; r < kRequests; ++r) {
        std::vector<std::string> texts;
        const int count = 1 + static_cast<int>(random() % 5);
        for (int k = 0; k < count; ++k)
          texts.push_back(std::string(1 + random() % 40, static_cast<char>('a' + (t + r + k) % 26)));
        const std::size_t top_k = 1 + random() % 4;
        auto request = std::make_shared<PendingRequest>(texts.size());
        if (batcher.Submit(request, Tokens(texts), top_k) != SubmitStatus::kAdmitted) {
          ++failures;
          continue;
        }
        if (!request->WaitUntil(Clock::now() + kLongWait)) {
          ++failures;
          continue;
        }
        const auto& results = request->results();
        for (std::size_t i = 0; i < texts.size(); ++i) {
          const auto expected = FakePredict(FakeTokenize(texts[i], 512).ids, top_k);
          if (results[i].label != expected.label || results[i].top.size() != expected.top.size()) ++failures;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(observed_batches.load(), runner.batches().size());
}

TEST(Batcher, ACallerThatMayNotBlockIsQueuedEvenWhenIdle) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), InlineOptions(1));
  WaitForIdleSlots(batcher, 1);
  auto request = std::make_shared<PendingRequest>(1);
  ASSERT_EQ(batcher.Submit(request, Tokens({"not on this thread"}), 1, /*may_run_inline=*/false),
            SubmitStatus::kAdmitted);
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  ExpectResults(*request, {"not on this thread"}, 1);
  ASSERT_EQ(runner.threads().size(), 1u);
  EXPECT_NE(runner.threads()[0], std::this_thread::get_id());
}

// The HTTP front waits for a request without a thread: OnDone calls back once, on the thread that finished it, or
// at once when the request is already done.
TEST(PendingRequest, OnDoneCallsBackOnceFromTheFinishingThread) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 32, 64});
  runner.Close();
  auto request = SubmitTexts(batcher, {"one", "two"});
  runner.WaitEntered(1);
  std::atomic<int> calls{0};
  std::atomic<bool> on_caller{false};
  const auto caller = std::this_thread::get_id();
  std::mutex mutex;
  std::condition_variable called;
  request->OnDone([&] {
    on_caller = std::this_thread::get_id() == caller;
    std::lock_guard lock(mutex);
    ++calls;
    called.notify_all();
  });
  EXPECT_EQ(calls.load(), 0);
  runner.Open();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(called.wait_for(lock, kLongWait, [&] { return calls.load() > 0; }));
  }
  batcher.Shutdown();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_FALSE(on_caller.load());
  ExpectResults(*request, {"one", "two"}, 1);
  int late_calls = 0;
  request->OnDone([&] { ++late_calls; });  // already done: now, on this thread
  EXPECT_EQ(late_calls, 1);
}

TEST(PendingRequest, OnDoneCallsBackOnceWhenABatchFails) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {1, 4096, 1, 64});  // one text per batch: two batches fail in turn
  runner.fail_ = true;
  auto request = std::make_shared<PendingRequest>(2);
  std::atomic<int> calls{0};
  request->OnDone([&] { ++calls; });
  ASSERT_EQ(batcher.Submit(request, Tokens({"first", "second"}), 1), SubmitStatus::kAdmitted);
  ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  batcher.Shutdown();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_THROW((void)request->results(), InvalidInput);
}

// Registration races completion (under ThreadSanitizer too): every callback runs exactly once.
TEST(PendingRequest, OnDoneRacingCompletionCallsBackExactlyOnce) {
  RecordingRunner runner;
  Batcher batcher(runner.runner(), {2, 4096, 8, 1024});
  constexpr int kRequests = 400;
  std::vector<std::atomic<int>> calls(kRequests);
  std::vector<std::shared_ptr<PendingRequest>> requests;
  for (int i = 0; i < kRequests; ++i) {
    auto request = SubmitTexts(batcher, {"text " + std::to_string(i)});
    if (i % 3 == 0) std::this_thread::yield();
    request->OnDone([&calls, i] { ++calls[static_cast<std::size_t>(i)]; });
    requests.push_back(std::move(request));
  }
  for (const auto& request : requests) ASSERT_TRUE(request->WaitUntil(Clock::now() + kLongWait));
  batcher.Shutdown();
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)].load(), 1) << "request " << i;
}

TEST(Batcher, ManyClientsGetTheirOwnAnswers) { ManyClientsGetTheirOwnAnswers(false); }
TEST(Batcher, ManyClientsGetTheirOwnAnswersWithInlineRuns) { ManyClientsGetTheirOwnAnswers(true); }

}  // namespace
}  // namespace fastintent::serve
