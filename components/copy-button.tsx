"use client";

import { useEffect, useState } from "react";
import { Check, Copy } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * Copies `text` to the clipboard. The Clipboard API only exists on HTTPS and localhost; a
 * dashboard reached over plain HTTP on the LAN falls back to a selected textarea and "copy".
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [isCopied, setIsCopied] = useState(false);
  useEffect(() => {
    if (!isCopied) return;
    const timer = setTimeout(() => setIsCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [isCopied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setIsCopied(true);
  }

  return (
    <Button type="button" variant="ghost" size="sm" onClick={copy} aria-label={label} title={label} className="shrink-0">
      {isCopied ? <Check aria-hidden className="h-3.5 w-3.5 text-emerald-600 dark:text-emerald-400" /> : <Copy aria-hidden className="h-3.5 w-3.5" />}
      <span aria-live="polite" className="sr-only">
        {isCopied ? "Copied" : ""}
      </span>
    </Button>
  );
}
