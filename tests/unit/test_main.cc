#include <arrow/compute/initialize.h>
#include <gtest/gtest.h>

// Registers Arrow's compute kernels once, then runs every test.
int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    return 2;
  }
  return RUN_ALL_TESTS();
}
