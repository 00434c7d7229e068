// The print edition (print_edition.py): each line of a code block in a span of its own, so that
// print_edition.css can mark the rows of a line that wraps at the page's edge.
document.addEventListener('DOMContentLoaded', () => {
  for (const pre of document.querySelectorAll('div.highlight pre')) {
    const lines = [[]]
    for (const node of [...pre.childNodes]) {
      const parts = node.nodeType === Node.TEXT_NODE ? node.textContent.split('\n') : [null]
      parts.forEach((part, index) => {
        if (index > 0) lines.push([])
        if (part === null) lines[lines.length - 1].push(node)
        else if (part) lines[lines.length - 1].push(document.createTextNode(part))
      })
    }
    if (lines.length && !lines[lines.length - 1].length) lines.pop() // the newline that ends the block
    pre.replaceChildren(...lines.map((nodes) => {
      const line = document.createElement('span')
      line.className = 'print-line'
      line.append(...nodes)
      if (!nodes.length) line.append('\u200b') // an empty line keeps its height
      return line
    }))
  }
})
