// The build passed (the sample's test ran the generated class); check what the plugin added.
File log = new File(basedir, 'build.log')
assert log.text.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
assert log.text.contains('Compiling com/example/tiny.cnn')
assert new File(basedir, 'target/generated-sources/striate/com/example/Tiny.java').isFile()
assert new File(basedir, 'target/classes/com/example/Tiny.class').isFile()
// The weights blob went through the resource root into the classes folder.
File resources = new File(basedir, 'target/generated-resources/striate/com/example')
assert resources.isDirectory() && resources.list().length > 0
resources.list().each { assert new File(basedir, "target/classes/com/example/$it").isFile() }
// A warning is logged as such, with its file and code, and does not fail the build.
String weights = new File(basedir, 'src/main/striate/com/example/renamed.weights.json').absolutePath
String warning = "[WARNING] $weights:1:1: warning: the weights were written for model OldName, not Renamed [E406]"
assert log.text.readLines().contains(warning) : "no line '$warning' in:\n${log.text}"
return true
