// Code blocks and tables wider than the page scroll sideways. A keyboard user reaches such a
// region with Tab and scrolls it with the arrow keys, so each one that overflows is made
// focusable and named after its content kind (WCAG 2.1.1; axe rule scrollable-region-focusable).
document.addEventListener("DOMContentLoaded", () => {
  for (const region of document.querySelectorAll("div.highlight pre, div.table-wrapper")) {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
      region.tabIndex = 0;
    }
  }
});
