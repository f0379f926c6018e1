/**
 * What the browser tests read off the page: the rows shown, whether a canvas holds a drawing, whether every form
 * control has a label, text contrast, focus, overflow and the address. Everything that runs inside the page is
 * here, typed against the small part of the DOM it uses (the root tsconfig has no DOM library; these declarations
 * are local to this module).
 */
import type { Page } from "playwright-core"

interface PageElement {
  readonly id: string
  readonly tagName: string
  readonly textContent: string | null
  readonly outerHTML: string
  readonly parentElement: PageElement | null
  readonly labels?: { readonly length: number } | null
  readonly width?: number
  readonly height?: number
  getAttribute(name: string): string | null
  getClientRects(): { readonly length: number }
  getContext?(
    kind: "2d"
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null
}

declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement>
  readonly activeElement: PageElement | null
  readonly documentElement: { readonly scrollWidth: number }
}
declare const window: {
  readonly innerWidth: number
  readonly location: { readonly hash: string }
  readonly localStorage: { setItem(key: string, value: string): void }
}
declare const getComputedStyle: (element: PageElement) => { readonly color: string; readonly backgroundColor: string }

/** Before the page loads: the org the selector remembers. */
export const rememberOrg = (page: Page, orgId: string) =>
  page.addInitScript((org) => window.localStorage.setItem("ros-ocp.org-id", org), orgId)

/** Waits until the address (hash) contains `text`. */
export const waitForHash = (page: Page, text: string) =>
  page.waitForFunction((wanted) => window.location.hash.includes(wanted), text)

/** The id and text of the focused element. */
export const focused = (page: Page) =>
  page.evaluate(() => ({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent ?? "" }))

/** How far the page is wider than the window, in CSS pixels (0: no sideways scrolling). */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

/** Waits until the table shows exactly these rows (by recommendation id), in this order. */
export const waitForRows = async (page: Page, ids: ReadonlyArray<string>) => {
  try {
    await page.waitForFunction(
      (wanted) => {
        const shown = Array.from(document.querySelectorAll("table.data tbody tr[data-id]")).map((row) =>
          row.getAttribute("data-id")
        )
        return shown.length === wanted.length && shown.every((id, i) => id === wanted[i])
      },
      ids,
      { timeout: 15_000 }
    )
  } catch (error) {
    const shown = await shownRowIds(page)
    throw new Error(`rows shown ${JSON.stringify(shown)}, expected ${JSON.stringify(ids)}: ${String(error)}`)
  }
}

export const shownRowIds = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll("table.data tbody tr[data-id]")).map((row) => row.getAttribute("data-id"))
  )

/** Texts of one column (1-based, counting the row header) of the list. */
export const columnTexts = (page: Page, column: number) =>
  page.evaluate(
    (n) =>
      Array.from(document.querySelectorAll(`table.data tbody tr[data-id] > :nth-child(${n})`)).map(
        (cell) => cell.textContent?.trim() ?? ""
      ),
    column
  )

/** Pixels of a chart's canvas close to the given colour (the boxes' stroke, a line's colour). */
export const canvasPixelsNear = (page: Page, chart: string, rgb: readonly [number, number, number]) =>
  page.evaluate(
    ({ id, colour }) => {
      const canvas = document.querySelectorAll(`[data-chart="${id}"] canvas`)[0]
      const context = canvas?.getContext?.("2d") ?? null
      const width = canvas?.width ?? 0
      const height = canvas?.height ?? 0
      if (context === null || width === 0 || height === 0) return 0
      const { data } = context.getImageData(0, 0, width, height)
      let near = 0
      for (let i = 0; i < data.length; i += 4) {
        const close =
          Math.abs((data[i] ?? 0) - colour[0]) < 40 &&
          Math.abs((data[i + 1] ?? 0) - colour[1]) < 40 &&
          Math.abs((data[i + 2] ?? 0) - colour[2]) < 40 &&
          (data[i + 3] ?? 0) > 200
        if (close) near++
      }
      return near
    },
    { id: chart, colour: rgb }
  )

/** Form controls without an accessible name (a label, aria-label or aria-labelledby). */
export const unlabelledControls = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll("input, select, textarea, button"))
      .filter((element) => {
        const labelled = element.tagName !== "BUTTON" && (element.labels?.length ?? 0) > 0
        const named =
          element.getAttribute("aria-label") !== null ||
          element.getAttribute("aria-labelledby") !== null ||
          (element.tagName === "BUTTON" && (element.textContent?.trim() ?? "") !== "")
        return !labelled && !named
      })
      .map((element) => element.outerHTML.slice(0, 120))
  )

/**
 * The lowest WCAG contrast ratio among the visible texts matching `selector`, against the first opaque background
 * up the tree.
 */
export const lowestContrast = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const parse = (colour: string): [number, number, number, number] => {
      const parts = colour.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1]
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1]
    }
    const luminance = ([r, g, b]: [number, number, number, number]) => {
      const channel = (v: number) => {
        const c = v / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      }
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    const background = (element: PageElement | null): [number, number, number, number] => {
      for (let e = element; e !== null; e = e.parentElement) {
        const colour = parse(getComputedStyle(e).backgroundColor)
        if (colour[3] >= 0.99) return colour
      }
      return [255, 255, 255, 1]
    }
    let lowest = Number.POSITIVE_INFINITY
    for (const element of Array.from(document.querySelectorAll(sel))) {
      if ((element.textContent?.trim() ?? "") === "" || element.getClientRects().length === 0) continue
      const fg = luminance(parse(getComputedStyle(element).color))
      const bg = luminance(background(element))
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
      lowest = Math.min(lowest, ratio)
    }
    return lowest
  }, selector)
