@echo off
rem The zoho-watch Pulumi provider plugin on Windows: Node.js 22 or newer on PATH (or ZOHO_WATCH_NODE) runs the bundled server beside this file.
if defined ZOHO_WATCH_NODE (
  "%ZOHO_WATCH_NODE%" "%~dp0server.js" %*
) else (
  node "%~dp0server.js" %*
)
