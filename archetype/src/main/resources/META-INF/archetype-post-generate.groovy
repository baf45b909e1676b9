// Checks the archetype's properties. Maven's archetype plugin applies the descriptor's
// validationRegex only when it asks interactively (ARCHETYPE-532), so in batch mode
// (-DinteractiveMode=false, -B) this script is the check: a bad value removes the project just
// written and fails the generation with one line naming the property, the value and the rule.
// The rules are those the annotation processor applies (ModelReader.PLUGIN_NAME).
def props = request.properties
def problems = []
def kind = props.getProperty('kind')
if (!(kind ==~ /output|input|custom/)) {
    problems << "kind '${kind}' must be output, input or custom"
}
def name = props.getProperty('pluginName')
if (!(name ==~ /[a-z][a-z0-9_-]{0,63}/)) {
    problems << ("pluginName '${name}' is not a Fluent Bit plugin name: a lower-case letter, then up to 63 " +
            "lower-case letters, digits, '_' or '-' (e.g. my_output or java-test-output)")
}
if (problems) {
    new File(request.outputDirectory, request.artifactId).deleteDir()
    throw new IllegalArgumentException("flb4j-archetype: " + problems.join('; ') + ". Nothing was generated.")
}
