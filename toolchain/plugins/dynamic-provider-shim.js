// Loads @pulumi/pulumi/cmd/dynamic-provider from the program's node_modules (resolved from the
// working directory the engine gives the plugin), so the provider runs the program's own SDK version.
"use strict";
const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] });
require(entry);
