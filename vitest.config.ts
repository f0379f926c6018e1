import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "web/test/**/*.test.ts"],
    // Integration tests share one Kafka, S3 and PostgreSQL; running files one at a time keeps
    // consumer groups and databases from stepping on each other on a 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    // The AWS SDK warns that its 2027 releases need Node 22; ros-ocp targets Node 20 on purpose.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    hookTimeout: 180_000,
    reporters: ["default", "./test/support/SummaryReporter.ts"],
    // Removes the Kafka topics and groups the tests made, once the run ends.
    globalSetup: ["./test/support/kafkaCleanup.ts"]
  }
})
