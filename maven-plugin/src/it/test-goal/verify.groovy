// Build 1 generated the test model only (the broken draft excluded) and the test passed; build 2
// cleaned target/, skipped generation, and still compiled and ran the test against the kept tree.
String log = new File(basedir, 'build.log').text
assert log.count('Compiling com/example/tiny.cnn') == 1 : log
assert !log.contains('draft') : log
assert log.contains('Skipping Striate generation (striate.skip=true)') : log
assert log.count('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed') == 2 : log
assert new File(basedir, 'generated/test-sources/com/example/Tiny.java').isFile()
assert new File(basedir, 'target/test-classes/com/example/Tiny.class').isFile()
assert !new File(basedir, 'target/classes/com/example/Tiny.class').exists() : 'the test model leaked into main'
assert new File(basedir, 'target/test-classes/com/example').list().any { it.startsWith('Tiny.') && !it.endsWith('.class') } :
        'the weights blob reached the test class path'
return true
