// Runs tests/server_dispatch.py (for xlkp.lite) inside Pyodide under Node, with wheels from local files only.
// argv: <pyodide dir> <request.json> <data dir on the host> <out dir on the host> <wheel>...
// The host's data dir is copied to /data in Pyodide's file system; afterwards /data is copied
// back to <out dir>. Prints the dispatch result as JSON on stdout.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, requestFile, dataDir, outDir, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: (s) => process.stderr.write(s + "\n") });
// Only local wheels: nothing may come from Pyodide's CDN, which is not reachable here.
await pyodide.loadPackage(wheels.map((w) => path.resolve(w)), { checkIntegrity: false });

pyodide.FS.mkdirTree("/data");
for (const name of fs.readdirSync(dataDir)) {
  pyodide.FS.writeFile("/data/" + name, fs.readFileSync(path.join(dataDir, name)));
}
pyodide.FS.mkdirTree("/work");
pyodide.FS.writeFile("/work/server_dispatch.py", fs.readFileSync(new URL("../server_dispatch.py", import.meta.url)));
pyodide.globals.set("request_json", fs.readFileSync(requestFile, "utf8"));
const result = await pyodide.runPythonAsync(`
import json, os, sys
os.environ.update(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial", XLKP_LITE_DATA="/data")
sys.path.insert(0, "/work")
import server_dispatch
result = await server_dispatch.run(json.loads(request_json))
result["platform"] = sys.platform
json.dumps(result, ensure_ascii=False)
`);
fs.mkdirSync(outDir, { recursive: true });
for (const name of pyodide.FS.readdir("/data")) {
  if (name === "." || name === "..") continue;
  fs.writeFileSync(path.join(outDir, name), pyodide.FS.readFile("/data/" + name));
}
process.stdout.write(result);
