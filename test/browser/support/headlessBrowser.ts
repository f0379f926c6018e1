/**
 * Debian's Chromium driven by playwright-core, headless with the flags this machine needs (no sandbox as root, no
 * GPU, and no background networking, which the closed network would refuse); Playwright gives every launch a
 * fresh, empty profile directory. Closed with the scope.
 */
import { Effect } from "effect"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

export const launchBrowser = (executablePath: string) =>
  Effect.acquireRelease(
    Effect.promise(() => chromium.launch({ executablePath, headless: true, chromiumSandbox: false, args: FLAGS })),
    (browser) => Effect.promise(() => browser.close())
  )

export interface Viewport {
  readonly width: number
  readonly height: number
}

export const DESKTOP: Viewport = { width: 1280, height: 800 }
export const NARROW: Viewport = { width: 390, height: 844 }

/** A fresh context (own storage, so the org choice of one test never leaks into another) and page. */
export const withPage = <A>(
  browser: Browser,
  viewport: Viewport,
  use: (page: Page, context: BrowserContext) => Promise<A>
): Effect.Effect<A> =>
  Effect.acquireUseRelease(
    Effect.promise(() => browser.newContext({ viewport, locale: "en-GB", timezoneId: "UTC" })),
    (context) =>
      Effect.promise(async () => {
        const page = await context.newPage()
        page.setDefaultTimeout(15_000)
        return use(page, context)
      }),
    (context) => Effect.promise(() => context.close())
  )
