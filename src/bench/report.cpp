#include "fastintent/bench/report.h"

#include <algorithm>

#include "fastintent/common/atomic_directory.h"

namespace fastintent::bench {

std::vector<std::filesystem::path> WriteStudyReport(const StudyResult& study, const ReportContext& context,
                                                    const std::filesystem::path& directory) {
  AtomicDirectory output(directory);
  const auto& staging = output.staging();
  WriteCsv(study, context, staging / "results.csv");
  WriteJson(study, context, staging / "results.json");
  WriteMarkdown(study, context, staging / "report.md");
  WriteSvgCharts(study, staging);
  output.Commit();
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace fastintent::bench
