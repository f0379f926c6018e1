/**
 * Migrations per database, by id. A migration is an Effect over `SqlClient`, named
 * `<id>_<description>`, and is never edited once it has shipped: change the schema with a new id.
 */
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Effect } from "effect"
import kruizeEngineTables from "./kruize/0001_engine_tables.js"
import kruizeResultsAsJson from "./kruize/0002_results_as_json.js"
import kruizeResultsByDay from "./kruize/0003_results_by_day.js"
import kruizeRecommendationsLz4 from "./kruize/0004_recommendations_lz4.js"
import kruizeResultParts from "./kruize/0005_result_parts.js"
import rosUploadStatus from "./ros/0001_upload_status.js"
import rosUpstreamTables from "./ros/0002_upstream_tables.js"
import rosUploadProgress from "./ros/0003_upload_progress.js"
import rosUploadExperimentsPerFile from "./ros/0004_upload_experiments_per_file.js"
import rosUploadProgressPendingIndexes from "./ros/0005_upload_progress_pending_indexes.js"
import rosUploadExperimentsMaxEnd from "./ros/0006_upload_experiments_max_end.js"
import rosDataChangeNotifications from "./ros/0007_data_change_notifications.js"
import rosUploadSettleFunctions from "./ros/0008_upload_settle_functions.js"
import rosMilestoneCheckPlpgsql from "./ros/0009_milestone_check_plpgsql.js"
import rosUploadPendingCounts from "./ros/0010_upload_pending_counts.js"
import sourcesTables from "./sources/0001_sources_tables.js"
import sourcesEventOutbox from "./sources/0002_event_outbox.js"

export type Migrations = Record<string, Effect.Effect<void, unknown, SqlClient>>

export const migrations: { readonly ros: Migrations; readonly kruize: Migrations; readonly sources: Migrations } = {
  ros: {
    "1_upload_status": rosUploadStatus,
    "2_upstream_tables": rosUpstreamTables,
    "3_upload_progress": rosUploadProgress,
    "4_upload_experiments_per_file": rosUploadExperimentsPerFile,
    "5_upload_progress_pending_indexes": rosUploadProgressPendingIndexes,
    "6_upload_experiments_max_end": rosUploadExperimentsMaxEnd,
    "7_data_change_notifications": rosDataChangeNotifications,
    "8_upload_settle_functions": rosUploadSettleFunctions,
    "9_milestone_check_plpgsql": rosMilestoneCheckPlpgsql,
    "10_upload_pending_counts": rosUploadPendingCounts
  },
  kruize: {
    "1_engine_tables": kruizeEngineTables,
    "2_results_as_json": kruizeResultsAsJson,
    "3_results_by_day": kruizeResultsByDay,
    "4_recommendations_lz4": kruizeRecommendationsLz4,
    "5_result_parts": kruizeResultParts
  },
  sources: {
    "1_sources_tables": sourcesTables,
    "2_event_outbox": sourcesEventOutbox
  }
}
