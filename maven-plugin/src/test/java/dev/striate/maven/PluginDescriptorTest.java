package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin jar's metadata, as Maven and Eclipse m2e read it: m2e's lifecycle mapping runs
 * every code-generating goal on incremental builds and on configuration, and the descriptor
 * Maven builds from the annotations gives the test goal its phase and test folders.
 */
class PluginDescriptorTest {

    private static Document xml(String resource) throws Exception {
        try (InputStream in = PluginDescriptorTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the class path (target/classes)");
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertEquals(1, found.size(), "one <" + name + "> in <" + parent.getTagName() + ">");
        return found.get(0);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }

    /** Each mojo of the generated descriptor by goal. */
    private static Map<String, Element> mojos() throws Exception {
        Map<String, Element> mojos = new LinkedHashMap<>();
        Element root = xml("META-INF/maven/plugin.xml").getDocumentElement();
        for (Element mojo : children(child(root, "mojos"), "mojo")) {
            mojos.put(text(mojo, "goal"), mojo);
        }
        return mojos;
    }

    @Test
    void m2eRunsEveryGeneratingGoalIncrementallyAndOnConfiguration() throws Exception {
        Element root = xml("META-INF/m2e/lifecycle-mapping-metadata.xml").getDocumentElement();
        assertEquals("lifecycleMappingMetadata", root.getTagName());
        List<Element> executions = children(child(root, "pluginExecutions"), "pluginExecution");
        assertEquals(1, executions.size());
        Element execution = executions.get(0);
        Set<String> mapped = new TreeSet<>();
        for (Element goal : children(child(child(execution, "pluginExecutionFilter"), "goals"), "goal")) {
            mapped.add(goal.getTextContent().trim());
        }
        Element execute = child(child(execution, "action"), "execute");
        assertEquals("true", text(execute, "runOnIncremental"));
        assertEquals("true", text(execute, "runOnConfiguration"));

        Set<String> goals = new TreeSet<>(mojos().keySet());
        goals.remove("help");
        assertEquals(Set.of("generate", "generate-test"), goals);
        assertEquals(goals, mapped, "every goal but help is in the m2e mapping");
    }

    @Test
    void theTestGoalGeneratesTestSourcesFromTestFolders() throws Exception {
        Element test = mojos().get("generate-test");
        assertEquals("generate-test-sources", text(test, "phase"));
        Element config = child(test, "configuration");
        assertEquals("${project.basedir}/src/test/striate", child(config, "sourceDirectory").getAttribute("default-value"));
        assertEquals("${striate.testSourceDirectory}", child(config, "sourceDirectory").getTextContent().trim());
        assertEquals("${project.build.directory}/generated-test-sources/striate",
                child(config, "outputDirectory").getAttribute("default-value"));
        assertEquals("${project.build.directory}/generated-test-resources/striate",
                child(config, "resourceOutputDirectory").getAttribute("default-value"));
        assertEquals("generate-sources", text(mojos().get("generate"), "phase"));
    }

    @Test
    void bothGoalsAskForTheBuildContext() throws Exception {
        for (String goal : List.of("generate", "generate-test")) {
            Element requirement = child(child(mojos().get(goal), "requirements"), "requirement");
            assertEquals("org.sonatype.plexus.build.incremental.BuildContext", text(requirement, "role"), goal);
        }
    }
}
