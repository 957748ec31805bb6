// What a person reads on a page: the text without tags, entities decoded, spaces collapsed.
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function pageText(html: string): string {
  return html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]).replace(/\s+/g, ' ').trim();
}

/** The messages shown for one form field (the `<name>-error` paragraph), or undefined. */
export function fieldError(html: string, name: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="${name}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return m ? pageText(m[1]) : undefined;
}
