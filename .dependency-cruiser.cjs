/**
 * Layers by where code runs (see README "Architecture"):
 *   core      pure TypeScript: no Node, no DOM, no Electron
 *   protocol  message schemas shared by main, preload, renderer and web mode
 *   node      CLI, files, web server (Node only)
 *   main      Electron shell            preload   contextBridge only
 *   renderer  DOM and Web Audio
 * An arrow never points up: core imports none of the others.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core runs anywhere: it may import only core and its npm dependencies that are themselves pure',
      severity: 'error',
      from: { path: '^src/core' },
      to: { pathNot: '^src/core' , dependencyTypesNot: ['npm'] },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      from: { path: '^src/core' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-electron',
      severity: 'error',
      from: { path: '^src/(core|node|renderer|protocol)' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'protocol-depends-on-core-only',
      severity: 'error',
      from: { path: '^src/protocol' },
      to: { path: '^src/(node|main|preload|renderer)' },
    },
    {
      name: 'node-not-on-shells',
      severity: 'error',
      from: { path: '^src/node' },
      to: { path: '^src/(main|preload|renderer)' },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      from: { path: '^src/renderer' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-on-main-or-node',
      severity: 'error',
      from: { path: '^src/renderer' },
      to: { path: '^src/(main|node|preload)' },
    },
    {
      name: 'preload-only-protocol',
      severity: 'error',
      from: { path: '^src/preload' },
      to: { path: '^src/(main|node|renderer)' },
    },
    {
      name: 'python-frame-knows-no-command',
      comment: 'core/python writes the program around the commands; each command carries its own Python form (core/commands). It may take the built-in table as a default, never a command by name',
      severity: 'error',
      from: { path: '^src/core/python' },
      to: { path: '^src/core/commands/', pathNot: '^src/core/commands/index\\.ts$' },
    },
    {
      name: 'python-kernel-is-small',
      comment: 'what commands import of core/python (the form, the writer, the quoting) imports nothing of the language that imports it',
      severity: 'error',
      from: { path: '^src/core/python/(form|code|quote)\\.ts$' },
      to: { path: '^src/core/(language|commands|session|scheduler)/' },
    },
    {
      name: 'no-circular',
      comment: "no cycle of any kind, type-only included: a module and what it imports are one way round",
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
