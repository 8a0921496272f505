// The real serving stack (fastintent_serve: HTTP, batcher, metrics, reload, signals) over FakeClassifier
// models, so the integration tests can run where no ONNX model exists. A model directory holds
// fake_model.json: {"version": "v1", "broken": false, "max_length": 64, "delay_us": 0,
// "fallback_threshold": 0.2, "load_delay_ms": 0, "fault_on": ""}; "broken": true makes loading fail (the
// reload-refusal test); "load_delay_ms" keeps the server in its not-ready state for a while (the readiness test);
// a batch with a text containing "fault_on" fails as a broken model would (the model-fault test).
// Usage: fake_model_server --port P --model NAME=DIR [--model ...] [--admin-token T] [--queue-size N]
//        [--max-texts N] [--inference-threads N] [--long-text reject]
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "fake_classifier.h"
#include "fastintent/serve/server.h"

namespace {

std::shared_ptr<const fastintent::runtime::Classifier> LoadFake(const std::filesystem::path& dir,
                                                                const fastintent::runtime::ClassifierOptions&) {
  std::ifstream in(dir / "fake_model.json");
  if (!in) throw fastintent::IoError((dir / "fake_model.json").string() + ": cannot open");
  const auto config = nlohmann::json::parse(in, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    throw fastintent::InvalidInput((dir / "fake_model.json").string() + ": not a JSON object");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(config.value("load_delay_ms", 0)));
  if (config.value("broken", false))
    throw fastintent::InvalidInput((dir / "fake_model.json").string() + ": broken model");
  return std::make_shared<fastintent::serve::testing::FakeClassifier>(
      dir.filename().string(), config.value("version", std::string("v0")), config.value("max_length", 64),
      std::chrono::microseconds(config.value("delay_us", 0)), config.value("fault_on", std::string()));
}

}  // namespace

int main(int argc, char** argv) {
  fastintent::serve::ServeConfig config;
  std::vector<std::string> models;
  std::string long_text = "truncate";
  CLI::App app{"fastintent serve over fake models (tests only)"};
  app.add_option("--port", config.port);
  app.add_option("--model", models)->required();
  app.add_option("--admin-token", config.admin_token);
  app.add_option("--queue-size", config.batcher.queue_capacity);
  app.add_option("--max-texts", config.limits.max_texts);
  app.add_option("--inference-threads", config.batcher.inference_threads);
  app.add_option("--max-body-bytes", config.http.max_body_bytes);
  app.add_option("--long-text", long_text);
  app.add_flag("--log-requests", config.log_requests);
  bool stray_thread = false;
  app.add_flag("--stray-thread", stray_thread,
               "start a thread with every signal unblocked before the server, as OpenBLAS does from a constructor");
  CLI11_PARSE(app, argc, argv);
  if (stray_thread) {
    std::thread([] {
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }).detach();
  }
  for (const auto& value : models) {
    const auto equals = value.find('=');
    config.models.push_back({value.substr(0, equals), value.substr(equals + 1)});
  }
  config.long_text =
      long_text == "reject" ? fastintent::serve::LongTextPolicy::kReject : fastintent::serve::LongTextPolicy::kTruncate;
  try {
    return fastintent::serve::RunServer(config, LoadFake);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fake_model_server: %s\n", e.what());
    return 1;
  }
}
