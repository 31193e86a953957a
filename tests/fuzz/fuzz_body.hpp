#pragma once
// The body of the parser fuzzer, shared with the replay test so both run the same code:
// parse the bytes, format the diagnostics, and when the text parsed cleanly print it and
// check that the printed text parses back to the same model and prints the same again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"

#include "engine/compile/compiler.hpp"
#include "engine/lang/parser.hpp"
#include "engine/lang/printer.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin::fuzz {

// Empty when every check holds, else what failed (with the printed text). Crashes, hangs
// and sanitizer reports are the fuzzer's to catch.
inline std::string check_parser_roundtrip(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  // A unit on its own: whatever parse_unit accepts must print back to an equal unit.
  if (size <= 256) {
    if (auto unit = lang::parse_unit(text)) {
      std::string printed = lang::print_unit(*unit);
      if (lang::parse_unit(printed) != unit) return "unit does not print back: [" + printed + "]";
    }
  }

  lang::SourceSet sources;
  sources.add_text("fuzz.lw", std::move(text));
  lang::Diagnostics diags;
  lang::Model model = lang::parse_model(sources, diags);
  std::string messages = diags.format(sources);
  if (diags.has_errors() && messages.empty()) return "errors reported without any message";
  if (diags.has_errors()) return {};

  std::string printed = lang::print_model(model);
  lang::SourceSet again;
  again.add_text("printed.lw", printed);
  lang::Diagnostics diags2;
  lang::Model reparsed = lang::parse_model(again, diags2);
  if (diags2.has_errors()) {
    return "the printed model does not parse:\n" + diags2.format(again) + "printed:\n" + printed;
  }
  if (!(reparsed == model)) return "the printed model parses to a different model:\n" + printed;
  std::string reprinted = lang::print_model(reparsed);
  if (reprinted != printed) {
    return "printing is not idempotent:\n" + printed + "reprinted:\n" + reprinted;
  }
  return {};
}

// Compiles the bytes as a model; when it compiles and is small, runs two members of it. The
// compiler and the evaluator must never crash, whatever the model says: trouble is either a
// diagnostic or a run-time diagnostic.
inline std::string check_compile_and_run(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto result = engine::compile_text(text, nullptr, "fuzz.lw");
  if (!result.ok()) {
    if (result.diagnostics.error_count() == 0) return "compile failed without an error";
    if (result.messages().empty()) return "errors reported without any message";
    return {};
  }
  const engine::Plan& plan = *result.plan;
  const engine::Settings& s = plan.settings;
  // Long runs are not what this looks for.
  double steps = (s.stop - s.start) / s.dt;
  if (!(steps <= 200) || plan.slot_count > 5000) return {};
  engine::RunSpec spec;
  spec.members = 3;
  spec.batch_width = 2;
  spec.threads = 1;
  try {
    engine::TrajectoryCollector sink;
    engine::run_ensemble(result.plan, spec, {&sink});
  } catch (const Error&) {
    // A run the spec cannot start (e.g. a scenario series nobody gives) is an error, not a bug.
  }
  return {};
}

}  // namespace latwin::fuzz
