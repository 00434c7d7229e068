// A warm Mermaid renderer: one Chromium page with Mermaid loaded once, answering
// render requests on a unix socket. mermaid-cli (mmdc) launches Chromium and loads
// the Mermaid bundle again for every diagram (about 2.5 s); here a render costs
// only Mermaid's own layout (0.15 s). The page is set up as mermaid-cli's
// renderMermaid() sets up its page (same HTML, scripts, viewport and
// serialisation), so the SVG is the one mmdc writes, but for the ids noted below.
//
// node diagram_renderer.mjs PROJECT_ROOT SOCKET PUPPETEER_CONFIG OWNER_PID
//
// Protocol: one JSON line per connection, {definition, mermaidConfig, backgroundColor},
// answered by one JSON line, {svg} or {error}. Prints "ready CHROMIUM_PID" when it
// listens. Exits on SIGTERM, and by itself when the owner process is gone: then it
// also removes the owner's scope folder (the socket's), which a killed owner leaves.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import url from 'node:url'

const [projectRoot, socketPath, puppeteerConfigFile, ownerPid] = process.argv.slice(2)
const cliDir = path.join(projectRoot, 'node_modules', '@mermaid-js', 'mermaid-cli')
const requireFromCli = createRequire(path.join(cliDir, 'package.json'))
const puppeteer = requireFromCli('puppeteer')
// Resolve Mermaid's scripts as mermaid-cli does, from mermaid-cli's own module
const { resolve } = await import(url.pathToFileURL(requireFromCli.resolve('import-meta-resolve')).href)
const cliModule = url.pathToFileURL(path.join(cliDir, 'src', 'index.js')).href
const scriptBeside = (name, file) => path.join(path.dirname(url.fileURLToPath(resolve(name, cliModule))), file)

const browser = await puppeteer.launch({
  headless: 'shell',
  handleSIGTERM: false, // stop() below closes the browser
  handleSIGINT: false,
  ...JSON.parse(fs.readFileSync(puppeteerConfigFile, 'utf-8'))
})
// One page, set up once as mmdc sets up its page for every diagram. Mermaid keeps a few
// counters across diagrams on a page, so a sequence diagram drawn after another one numbers
// its element ids (actor3, root-3) further on than mmdc would; the drawing is the same.
// A new page per diagram would cost 2.5 s each, as much as mmdc itself.
const page = await browser.newPage()
page.on('console', (message) => console.error(message.text()))
await page.setViewport({ width: 800, height: 600, deviceScaleFactor: 1 }) // mmdc's defaults
await page.goto(url.pathToFileURL(path.join(cliDir, 'dist', 'index.html')).href)
await Promise.all([
  page.addScriptTag({ path: scriptBeside('mermaid', 'mermaid.js') }),
  page.addScriptTag({ path: scriptBeside('@mermaid-js/mermaid-zenuml', 'mermaid-zenuml.js') })
])
await page.evaluate(async () => {
  await Promise.all(Array.from(document.fonts, (font) => font.load()))
  const { mermaid, 'mermaid-zenuml': zenuml, elkLayouts } = globalThis
  await mermaid.registerExternalDiagrams([zenuml])
  mermaid.registerLayoutLoaders(elkLayouts)
})

function render ({ definition, mermaidConfig = {}, backgroundColor = 'white' }) {
  return page.$eval('#container', async (container, definition, mermaidConfig, backgroundColor) => {
    container.replaceChildren()
    document.querySelectorAll('body > :not(#container)').forEach((node) => node.remove()) // an error drawing
    document.body.style.background = backgroundColor
    const { mermaid } = globalThis
    mermaid.initialize({ startOnLoad: false, ...mermaidConfig })
    try {
      const { svg } = await mermaid.render('my-svg', definition, container)
      container.innerHTML = svg
    } catch (error) {
      return { error: String(error?.message ?? error) }
    }
    const svg = container.getElementsByTagName('svg')[0]
    svg.style.backgroundColor = backgroundColor
    // <foreignObject> labels hold HTML that is not XML (<br>): serialise, as mmdc does
    return { svg: new XMLSerializer().serializeToString(svg) }
  }, definition, mermaidConfig, backgroundColor)
}

// The page draws one diagram at a time: requests wait their turn.
let queue = Promise.resolve()
const server = net.createServer((connection) => {
  let request = ''
  connection.setEncoding('utf-8')
  connection.on('data', (chunk) => {
    request += chunk
    if (!request.includes('\n')) return
    queue = queue.then(async () => {
      let answer
      try {
        answer = await render(JSON.parse(request))
      } catch (error) {
        answer = { error: String(error?.message ?? error) }
      }
      connection.end(JSON.stringify(answer) + '\n')
    })
  })
  connection.on('error', () => {})
})

async function stop () {
  server.close()
  await browser.close().catch(() => {})
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
setInterval(() => {
  try {
    process.kill(Number(ownerPid), 0)
  } catch {
    // the build or preview that wanted this renderer is gone
    fs.rmSync(path.dirname(socketPath), { recursive: true, force: true })
    stop()
  }
}, 2000).unref()

fs.rmSync(socketPath, { force: true })
server.listen(socketPath, () => console.log(`ready ${browser.process()?.pid ?? ''}`))
