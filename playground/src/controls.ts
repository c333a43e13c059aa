// The setup form: every control is an input named after its config field (index.html), read
// and checked with the config's own field checks (../config.ts), so a bad value is marked on
// its control and named in one line, and the last good setup stays in force. Controls that do
// not apply to the chosen cell, task or optimiser are hidden (data-when="field=a,b").
import { FIELDS, parseField, type PlaygroundConfig } from "./config.ts";

export class Controls {
  private handlers: Array<(key: keyof PlaygroundConfig) => void> = [];

  constructor(private root: Document) {
    for (const f of FIELDS) {
      const el = this.input(f.key);
      if (!el) continue;
      const fire = () => { this.syncOutputs(); for (const h of this.handlers) h(f.key); };
      // Sliders report as they move (the value shows beside them) and apply when released.
      el.addEventListener(el.type === "range" ? "change" : "change", fire);
      if (el.type === "range") el.addEventListener("input", () => this.syncOutputs());
    }
  }

  input(key: string): HTMLInputElement | HTMLSelectElement | null {
    return this.root.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${key}"]`);
  }

  onChange(h: (key: keyof PlaygroundConfig) => void): void { this.handlers.push(h); }

  /** The form's setup: each field checked; a bad field keeps `fallback`'s value and adds its message. */
  read(fallback: PlaygroundConfig): { config: PlaygroundConfig; errors: string[] } {
    const config = { ...fallback } as unknown as Record<string, unknown>;
    const errors: string[] = [];
    for (const f of FIELDS) {
      const el = this.input(f.key);
      if (!el) continue;
      const r = parseField(f, el.value);
      if ("error" in r) { errors.push(r.error); el.setAttribute("aria-invalid", "true"); el.title = r.error; }
      else { config[f.key] = r.value; el.removeAttribute("aria-invalid"); el.removeAttribute("title"); }
    }
    return { config: config as unknown as PlaygroundConfig, errors };
  }

  write(c: PlaygroundConfig): void {
    for (const f of FIELDS) {
      const el = this.input(f.key);
      if (!el) continue;
      el.value = String(c[f.key]);
      el.removeAttribute("aria-invalid");
    }
    this.syncOutputs();
    this.showFor(c);
  }

  /** Shows the controls that apply to this setup. */
  showFor(c: PlaygroundConfig): void {
    for (const el of this.root.querySelectorAll<HTMLElement>("[data-when]")) {
      const [key, list] = el.dataset.when!.split("=");
      el.hidden = !list.split(",").includes(String(c[key as keyof PlaygroundConfig]));
    }
  }

  private syncOutputs(): void {
    for (const o of this.root.querySelectorAll<HTMLOutputElement>("output[data-output]")) {
      const el = this.input(o.dataset.output!);
      if (el) o.value = el.value;
    }
  }
}
