// Build 1 compiled both models; build 2 (nothing changed, a.cnn touched) compiled none and
// rewrote nothing; build 3 (new weights for b) compiled b only and rewrote only b's files.
long longAgo = 978307200000L
String log = new File(basedir, 'build.log').text
assert log.count('Compiling com/example/a.cnn') == 1 : log
assert log.count('Compiling com/example/b.cnn') == 2 : log
assert log.count('com/example/a.cnn is up to date') == 2 : log
assert log.count('com/example/b.cnn is up to date') == 1 : log
assert log.contains('Striate: 0 models compiled, 2 up to date in ') : log
assert log.contains('Striate: 1 model compiled, 1 up to date in ') : log

List<File> outputs = []
['target/generated-sources/striate/com/example', 'target/generated-resources/striate/com/example'].each {
    File dir = new File(basedir, it)
    if (dir.isDirectory()) {
        outputs.addAll(dir.listFiles())
    }
}
List<File> ofA = outputs.findAll { it.name.startsWith('A.') || it.name.startsWith('A$') }
List<File> ofB = outputs.findAll { it.name.startsWith('B.') || it.name.startsWith('B$') }
assert !ofA.isEmpty() && !ofB.isEmpty() : outputs
// Build 2 back-dated every output before the plugin ran; only build 3 may have rewritten any.
ofA.each { assert it.lastModified() == longAgo : "$it was rewritten" }
assert ofB.any { it.lastModified() > longAgo } : "no file of B was rewritten: $ofB"
return true
