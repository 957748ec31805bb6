// Inline CSS (the Content-Security-Policy allows inline styles only for these pages).
import { raw } from './html.ts';

export const styles = raw(`
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
header{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;padding:.75rem 1.25rem;background:#1f3a5f;color:#fff}
header a,header .link{color:#fff}.brand{font-weight:700;text-decoration:none;font-size:1.2rem}
nav{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
main{max-width:46rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{margin-top:0;font-size:1.6rem}label{display:block;font-weight:600;margin-top:1rem}
input[type=text],input[type=email],input[type=password],input[type=url],select,textarea{width:100%;padding:.55rem;border:1px solid #9aa5b1;border-radius:4px;font:inherit}
textarea{min-height:6rem}.hint{color:#52606d;font-size:.9rem;margin:.25rem 0 0}
button,.button{display:inline-block;margin-top:1.25rem;padding:.6rem 1.1rem;border:0;border-radius:4px;background:#2f6fb3;color:#fff;font:inherit;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#e4e7eb;color:#1f2933}button.danger{background:#b42318}
button.link{background:none;padding:0;margin:0;text-decoration:underline}
:focus-visible{outline:3px solid #f7c948;outline-offset:2px}
.error{color:#8a1c12;background:#fde8e8;padding:.6rem;border-radius:4px}.notice{color:#0b5b32;background:#e3f9e5;padding:.6rem;border-radius:4px}
.field-error{color:#8a1c12;margin:.25rem 0 0}[aria-invalid=true]{border:2px solid #b42318}form.inline{display:inline}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
code,.secret{font-family:ui-monospace,monospace;word-break:break-all;background:#f0f4f8;padding:.1rem .3rem;border-radius:3px}
ul.scopes li{margin:.3rem 0}.actions{display:flex;gap:.75rem;flex-wrap:wrap;align-items:center}
`);
