/**
 * Screenshots of each page, for a person to look at, under test-output/web (git-ignored).
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"

export const SCREENSHOT_DIR = join("test-output", "web")

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}
