/**
 * The web view in a real headless browser (Debian's Chromium driven by playwright-core) against a running stack
 * (webStack.ts): filter, sort and page the recommendations, open one, see its charts drawn, switch term and
 * engine, read the uploads' status and errors, switch tenant, and use it by keyboard and on a narrow screen.
 * Screenshots of each page go to test-output/web. Where no browser can be installed the suite is skipped with
 * the reason printed, never silently.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import type { Browser, Page } from "playwright-core"
import { uploadStages } from "../../schema/uploads/UploadStatus.js"
import { Kafka } from "../../src/services/Kafka.js"
import { ObjectStore } from "../../src/services/ObjectStore.js"
import { listAs } from "./support/apiProbe.js"
import { findBrowserExecutable } from "./support/browserExecutable.js"
import { DESKTOP, launchBrowser, NARROW, withPage } from "./support/headlessBrowser.js"
import {
  canvasPixelsNear,
  columnTexts,
  focused,
  horizontalOverflow,
  lowestContrast,
  rememberOrg,
  shownRowIds,
  unlabelledControls,
  waitForHash,
  waitForRows
} from "./support/pageChecks.js"
import { screenshot } from "./support/screenshots.js"
import { ensureWebBuilt } from "./support/webBuild.js"
import { startWebStack, type WebStack } from "./support/webStack.js"

const executable = findBrowserExecutable()
if (executable._tag === "Unavailable") {
  process.stderr.write(`\nweb view: browser tests SKIPPED, no browser on this machine: ${executable.reason}\n\n`)
}

class Suite extends Context.Tag("test/WebViewSuite")<
  Suite,
  { readonly stack: WebStack; readonly browser: Browser }
>() {}

const SuiteLive = Layer.scoped(
  Suite,
  Effect.gen(function* () {
    if (executable._tag !== "Found") return yield* Effect.dieMessage("no browser")
    yield* ensureWebBuilt
    const stack = yield* startWebStack
    const browser = yield* launchBrowser(executable.path)
    return { stack, browser }
  })
).pipe(Layer.provide(Layer.mergeAll(Kafka.layer, ObjectStore.layer)))

/** Opens the page as `orgId` (the selector's remembered choice) at `hash`. */
const openAs = async (page: Page, stack: WebStack, orgId: string, hash: string) => {
  await rememberOrg(page, orgId)
  await page.goto(`${stack.url}/${hash}`)
}

const countText = (count: number) => (count === 1 ? "1 container" : `${count.toLocaleString("en-GB")} containers`)

const waitForCount = (page: Page, count: number) =>
  page.locator("p.count", { hasText: new RegExp(`^${countText(count)}$`) }).waitFor()

const ids = (list: { readonly data: ReadonlyArray<{ readonly id: string }> }) => list.data.map((item) => item.id)

const DEFAULT_ORDER = { order_by: "last_reported", order_how: "desc" } as const

describe.skipIf(executable._tag !== "Found")(
  `web view in headless Chromium${executable._tag === "Unavailable" ? " (skipped: no browser here)" : ""}`,
  () => {
    layer(SuiteLive, { excludeTestServices: true, timeout: 300_000 })((it) => {
      it.effect("lists the org's recommendations, and filters, sorts and pages them on the server", () =>
        Effect.gen(function* () {
          const { stack, browser } = yield* Suite
          yield* withPage(browser, DESKTOP, async (page) => {
            const all = await listAs(stack.url, stack.mainOrg, { ...DEFAULT_ORDER, limit: "10" })
            expect(all.meta.count, "the main org needs more rows than one page").toBeGreaterThan(10)
            await openAs(page, stack, stack.mainOrg, "#/recommendations")
            await waitForCount(page, all.meta.count)
            await waitForRows(page, ids(all))
            await screenshot(page, "recommendations")

            // Filter: a project of the first page, typed into the form.
            const project = all.data[0]?.project ?? ""
            const filtered = await listAs(stack.url, stack.mainOrg, { ...DEFAULT_ORDER, limit: "10", project })
            await page.getByLabel("Project", { exact: true }).fill(project)
            await page.getByRole("button", { name: "Apply filters" }).click()
            await waitForCount(page, filtered.meta.count)
            await waitForRows(page, ids(filtered))
            expect(await columnTexts(page, 4)).toEqual(filtered.data.map((item) => item.project))
            expect(page.url()).toContain(`project=${encodeURIComponent(project)}`)
            await screenshot(page, "recommendations-filtered")

            // Sort: by container, ascending on the first click, descending on the second.
            const ascending = await listAs(stack.url, stack.mainOrg, {
              project,
              order_by: "container",
              order_how: "asc",
              limit: "10"
            })
            await page.getByRole("button", { name: /^Container/ }).click()
            await waitForRows(page, ids(ascending))
            expect(await page.locator("th", { hasText: "Container" }).getAttribute("aria-sort")).toBe("ascending")
            const descending = await listAs(stack.url, stack.mainOrg, {
              project,
              order_by: "container",
              order_how: "desc",
              limit: "10"
            })
            await page.getByRole("button", { name: /^Container/ }).click()
            await waitForRows(page, ids(descending))
            expect(await page.locator("th", { hasText: "Container" }).getAttribute("aria-sort")).toBe("descending")

            // Page: back to every row, then the second page and the larger page size.
            await page.getByRole("button", { name: "Clear" }).click()
            await waitForCount(page, all.meta.count)
            const second = await listAs(stack.url, stack.mainOrg, {
              order_by: "container",
              order_how: "desc",
              limit: "10",
              offset: "10"
            })
            await page.getByRole("button", { name: "Next" }).click()
            await waitForRows(page, ids(second))
            await page.locator(".pager .range", { hasText: `11–${Math.min(20, all.meta.count)} of` }).waitFor()
            const wide = await listAs(stack.url, stack.mainOrg, {
              order_by: "container",
              order_how: "desc",
              limit: "25"
            })
            await page.getByLabel("Rows per page").selectOption("25")
            await waitForRows(page, ids(wide))
            await screenshot(page, "recommendations-sorted-paged")
          })
        })
      )

      it.effect("shows a row's current and recommended requests for the chosen term and engine", () =>
        Effect.gen(function* () {
          const { stack, browser } = yield* Suite
          yield* withPage(browser, DESKTOP, async (page) => {
            const first = await listAs(stack.url, stack.mainOrg, { order_by: "container", order_how: "asc" })
            await openAs(page, stack, stack.mainOrg, "#/recommendations?order_by=container&order_how=asc")
            await waitForRows(page, ids(first))
            const shortCost = await columnTexts(page, 7)
            expect(shortCost.some((text) => text !== "—")).toBe(true)
            // Variation colour and words, never colour alone.
            const badge = page.locator("table.data .variation").first()
            expect(await badge.textContent()).toMatch(/(over|under)-provisioned|about right/)

            await page.getByLabel("Term", { exact: true }).selectOption("medium_term")
            await page.getByLabel("Engine", { exact: true }).selectOption("performance")
            await waitForHash(page, "engine=performance")
            expect(page.url()).toContain("term=medium_term")
            const mediumPerformance = await columnTexts(page, 7)
            expect(mediumPerformance).not.toEqual(shortCost)
            // The change column now sorts by the chosen term and engine.
            await page.getByRole("button", { name: /^CPU change/ }).click()
            await waitForHash(page, "order_by=cpu_variation_medium_performance")
            const byChange = await listAs(stack.url, stack.mainOrg, {
              order_by: "cpu_variation_medium_performance",
              order_how: "asc",
              limit: "10"
            })
            await waitForRows(page, ids(byChange))
          })
        })
      )

      it.effect("opens a recommendation: every term and engine, notifications, and both charts drawn", () =>
        Effect.gen(function* () {
          const { stack, browser } = yield* Suite
          yield* withPage(browser, DESKTOP, async (page) => {
            const first = await listAs(stack.url, stack.mainOrg, { ...DEFAULT_ORDER, limit: "10" })
            const item = first.data[0]
            expect(item).toBeDefined()
            await openAs(page, stack, stack.mainOrg, "#/recommendations")
            await waitForRows(page, ids(first))
            await page.locator(`tr[data-id="${item?.id}"] a`).click()
            await page.locator("h1", { hasText: item?.container ?? "" }).waitFor()
            expect(page.url()).toContain(`#/recommendations/${item?.id}`)

            // Every term and both engines side by side: 4 settings × 3 terms × 2 engines.
            expect(await page.locator("table.comparison tbody td[data-term]").count()).toBe(24)
            await page.getByRole("heading", { name: "Notifications" }).waitFor()

            // The charts: boxes (their stroke colour) and the recommendation line (its colour) are on the canvas.
            await page.locator('[data-chart="memory-chart"] canvas').waitFor()
            await screenshot(page, "recommendation-detail")
            for (const chart of ["cpu-chart", "memory-chart"]) {
              expect(await canvasPixelsNear(page, chart, [30, 64, 175]), `${chart}: boxes`).toBeGreaterThan(50)
              expect(await canvasPixelsNear(page, chart, [4, 120, 87]), `${chart}: recommendation`).toBeGreaterThan(50)
            }
            expect(await page.locator('[data-chart="cpu-chart"]').getAttribute("aria-label")).toMatch(/box plots/)

            // Switch term and engine: the highlighted column, the chart's term and its recommendation line follow.
            await page.getByLabel("Term", { exact: true }).selectOption("medium_term")
            await page.getByLabel("Engine", { exact: true }).selectOption("performance")
            await page.getByRole("heading", { name: /Usage over the medium term/ }).waitFor()
            expect(await page.locator('td.selected[data-term="medium_term"][data-engine="performance"]').count()).toBe(
              4
            )
            await page
              .locator(".legend", { hasText: /Recommended request.*\(performance\)/ })
              .first()
              .waitFor()
            expect(await canvasPixelsNear(page, "cpu-chart", [30, 64, 175])).toBeGreaterThan(50)
            await screenshot(page, "recommendation-detail-medium-performance")

            // Back to the list with the same term and engine.
            await page.getByRole("link", { name: /All recommendations/ }).click()
            await waitForHash(page, "#/recommendations?")
            expect(page.url()).toContain("engine=performance")
          })
        })
      )

      it.effect("shows the org's uploads stage by stage, and a failure in plain words", () =>
        Effect.gen(function* () {
          const { stack, browser } = yield* Suite
          yield* withPage(browser, DESKTOP, async (page) => {
            await openAs(page, stack, stack.mainOrg, "#/uploads")
            const card = page.locator(`li.upload[data-request-id="${stack.uploadRequestId}"]`)
            await card.waitFor()
            for (const stage of uploadStages) {
              expect(await card.locator(`[data-stage="${stage}"]`).getAttribute("data-state"), stage).toBe("done")
            }
            expect(await card.locator(".status").textContent()).toBe("Done")

            const failed = page.locator(`li.upload[data-request-id="${stack.failedUpload.requestId}"]`)
            await failed.waitFor()
            expect(await failed.locator(".status").textContent()).toBe("Failed")
            expect(await failed.locator(".upload-error").textContent()).toContain(stack.failedUpload.error)
            expect(await failed.locator('[data-stage="koku_processed"]').getAttribute("data-state")).toBe("failed")
            await screenshot(page, "uploads")
          })
        })
      )

      it.effect("after a tenant switch shows only that tenant's rows and uploads", () =>
        Effect.gen(function* () {
          const { stack, browser } = yield* Suite
          yield* withPage(browser, DESKTOP, async (page) => {
            const mine = await listAs(stack.url, stack.mainOrg, { limit: "-1" })
            const theirs = await listAs(stack.url, stack.otherOrg, { ...DEFAULT_ORDER, limit: "-1" })
            const theirFirstPage = await listAs(stack.url, stack.otherOrg, { ...DEFAULT_ORDER, limit: "10" })
            expect(theirs.meta.count).toBeGreaterThan(0)
            await openAs(page, stack, stack.mainOrg, "#/recommendations")
            await waitForCount(page, mine.meta.count)

            await page.getByRole("combobox", { name: /^Org/ }).fill(stack.otherOrg)
            await page.getByRole("button", { name: "Switch" }).click()
            await waitForCount(page, theirs.meta.count)
            await waitForRows(page, ids(theirFirstPage))
            const shown = await shownRowIds(page)
            const mineIds = new Set(ids(mine))
            const theirIds = new Set(ids(theirs))
            expect(shown.every((id) => id !== null && theirIds.has(id) && !mineIds.has(id))).toBe(true)
            await screenshot(page, "tenant-switched")

            // The main org's recommendation is not found for the other org.
            await page.goto(`${stack.url}/#/recommendations/${mine.data[0]?.id}`)
            await page.getByRole("alert").waitFor()
            expect(await page.getByRole("alert").textContent()).toMatch(/not found/i)

            // Nor are its uploads.
            await page.getByRole("link", { name: "Uploads" }).click()
            await page.getByRole("heading", { name: "Recent uploads" }).waitFor()
            await page.locator("p.empty, ul.uploads").first().waitFor()
            expect(await page.locator(`li.upload[data-request-id="${stack.uploadRequestId}"]`).count()).toBe(0)
          })
        })
      )

      it.effect("works by keyboard, labels every control, keeps contrast, and fits a narrow screen", () =>
        Effect.gen(function* () {
          const { stack, browser } = yield* Suite
          yield* withPage(browser, NARROW, async (page) => {
            const all = await listAs(stack.url, stack.mainOrg, { ...DEFAULT_ORDER, limit: "10" })
            await openAs(page, stack, stack.mainOrg, "#/recommendations")
            await waitForRows(page, ids(all))
            expect(await unlabelledControls(page)).toEqual([])
            expect(await lowestContrast(page, "body *:not(:has(*))")).toBeGreaterThanOrEqual(4.5)
            // Nothing but the table's own scroll region is wider than the screen.
            expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1)
            await screenshot(page, "recommendations-narrow")

            // The skip link, then a filter typed and applied with Enter, then a sort by keyboard.
            await page.keyboard.press("Tab")
            expect((await focused(page)).text).toBe("Skip to content")
            await page.keyboard.press("Enter")
            expect((await focused(page)).id).toBe("main")
            const container = all.data[0]?.container ?? ""
            const filtered = await listAs(stack.url, stack.mainOrg, { ...DEFAULT_ORDER, limit: "10", container })
            await page.getByLabel("Container", { exact: true }).focus()
            await page.keyboard.type(container)
            await page.keyboard.press("Enter")
            await waitForRows(page, ids(filtered))
            const byWorkload = await listAs(stack.url, stack.mainOrg, {
              container,
              order_by: "workload",
              order_how: "asc",
              limit: "10"
            })
            await page.getByRole("button", { name: /^Workload\s*,/ }).focus()
            await page.keyboard.press("Enter")
            await waitForRows(page, ids(byWorkload))

            // The detail and the uploads at this width.
            await page.locator("table.data tbody a").first().press("Enter")
            await page.locator('[data-chart="cpu-chart"] canvas').waitFor()
            expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1)
            await screenshot(page, "recommendation-detail-narrow")
            await page.goto(`${stack.url}/#/uploads`)
            await page.locator(`li.upload[data-request-id="${stack.uploadRequestId}"]`).waitFor()
            await screenshot(page, "uploads-narrow")
          })
        })
      )
    })
  }
)
