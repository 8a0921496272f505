#pragma once
// The default training recipe of `fastintent train` (default_recipe.cpp): what runs when the command line chooses
// no model (no --base, --shape, --arch or --teacher).
namespace fastintent::cli {

// True when the `train` command line names no model to start from.
bool AsksForDefaultRecipe(int argc, char** argv);

// Parses the recipe's flags and runs it; returns the exit code. Throws fastintent::Error for bad data or a stage that
// fails (the output directory is then left as it was).
int RunDefaultRecipe(int argc, char** argv);

}  // namespace fastintent::cli
