import type { Locator } from "@playwright/test";

/**
 * Every piece of visible text inside `root` whose contrast with what is drawn behind it is below
 * WCAG 2's minimum (4.5:1, or 3:1 for large text: 24 px, or 18.66 px bold), as "text: ratio".
 * The backdrop is read where the text is drawn, through every layer behind it (absolutely placed
 * bands included), with translucent layers blended over the first opaque one.
 */
export async function lowContrastTexts(root: Locator): Promise<string[]> {
  return root.evaluate((element) => {
    type Rgba = [number, number, number, number];
    // Computed colours may be in any space (Tailwind's are oklch): a canvas turns them into sRGB.
    const context = Object.assign(document.createElement("canvas"), { width: 1, height: 1 }).getContext("2d", {
      willReadFrequently: true,
    })!;
    const parse = (colour: string): Rgba => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = colour;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!, a! / 255];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const alpha = top[3];
      return [
        top[0] * alpha + bottom[0] * (1 - alpha),
        top[1] * alpha + bottom[1] * (1 - alpha),
        top[2] * alpha + bottom[2] * (1 - alpha),
        1,
      ];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (light + 0.05) / (dark + 0.05);
    };

    // Layers that ignore the pointer are still drawn: let hit-testing see them while measuring.
    const all = [element, ...element.querySelectorAll("*")] as HTMLElement[];
    const saved = all.map((node) => node.style.pointerEvents);
    all.forEach((node) => (node.style.pointerEvents = "auto"));
    const failures: string[] = [];
    try {
      for (const node of all) {
        const text = [...node.childNodes]
          .filter((child) => child.nodeType === Node.TEXT_NODE)
          .map((child) => child.textContent ?? "")
          .join("")
          .trim();
        if (!text) continue;
        const box = node.getBoundingClientRect();
        const style = getComputedStyle(node);
        // Screen-reader-only text (clipped to a pixel) and hidden text are not drawn.
        if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden" || style.display === "none") continue;
        node.scrollIntoView({ block: "center", inline: "center" });
        const drawn = node.getBoundingClientRect();
        const layers = document.elementsFromPoint(
          drawn.left + Math.min(drawn.width / 2, 4),
          drawn.top + drawn.height / 2,
        ) as HTMLElement[];
        const behind: Rgba[] = [];
        for (const layer of layers.slice(Math.max(0, layers.indexOf(node)))) {
          const colour = parse(getComputedStyle(layer).backgroundColor);
          if (colour[3] === 0) continue;
          behind.push(colour);
          if (colour[3] === 1) break;
        }
        let backdrop: Rgba = [255, 255, 255, 1];
        for (const layer of behind.reverse()) backdrop = over(layer, backdrop);
        const foreground = over(parse(style.color), backdrop);
        const size = parseFloat(style.fontSize);
        const isLarge = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const contrast = ratio(foreground, backdrop);
        if (contrast < (isLarge ? 3 : 4.5)) failures.push(`${text}: ${contrast.toFixed(2)}`);
      }
    } finally {
      all.forEach((node, i) => (node.style.pointerEvents = saved[i]!));
    }
    return failures;
  });
}
