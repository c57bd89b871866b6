/** The nginx location block that forwards HTTP-01 requests to CertDeck. */
export function NginxSnippet({ upstream }: { upstream: string }) {
  return (
    <div className="space-y-1.5">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Add this to the <code>server</code> block that listens on port 80 for these names, then run <code>nginx -t &amp;&amp; systemctl reload nginx</code>.
        nginx keeps running; CertDeck answers the CA.
      </p>
      <pre className="overflow-x-auto rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100 dark:bg-black">
        {`location ^~ /.well-known/acme-challenge/ {\n    proxy_pass ${upstream};\n}`}
      </pre>
    </div>
  );
}
