/**
 * The recommendation rows (~20–30 KB of JSON with plots, rewritten by every updateRecommendations that finds a
 * new answer) are compressed with lz4: the insert then takes about half the time it takes with pglz.
 */
import { useLz4Compression } from "../Lz4Compression.js"

export default useLz4Compression("kruize_recommendations", "extended_data")
