/** The nginx location block that serves the challenge files CertDeck writes into a webroot. */
export function NginxWebrootSnippet({ webroot }: { webroot: string }) {
  return (
    <div className="space-y-1.5">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        nginx must serve <code>/.well-known/acme-challenge/</code> from that directory on port 80. A <code>server</code> block whose <code>root</code> is the
        webroot already does; otherwise add this to it and run <code>nginx -t &amp;&amp; systemctl reload nginx</code>:
      </p>
      <pre className="overflow-x-auto rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100 dark:bg-black">
        {`location ^~ /.well-known/acme-challenge/ {\n    root ${webroot};\n    default_type "text/plain";\n    try_files $uri =404;\n}`}
      </pre>
    </div>
  );
}
