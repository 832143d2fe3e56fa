package io.tcpresponder.deploy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart's values.yaml with its comments, read as helm-docs reads it: a comment starting with "# --" documents a
 * value (shown whole, whatever it holds); any other comment documents a section whose keys are documented one by one.
 */
final class ValuesFile {

	private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_.]*):.*");

	private ValuesFile() {
	}

	/**
	 * A key of values.yaml.
	 *
	 * @param path the dotted path, e.g. {@code image.tag}
	 * @param description the comment above it, "#" and "--" taken off and its lines joined; empty when it has none
	 * @param value whether the comment starts with "# --": a value documented whole rather than a section
	 * @param line the line number in values.yaml
	 */
	record Key(String path, String description, boolean value, int line) {
	}

	/**
	 * Every key of values.yaml, but those inside a value documented whole, in file order.
	 * @return the keys
	 */
	static List<Key> keys() {
		List<String> lines = Repository.read(Repository.CHART.resolve("values.yaml")).lines().toList();
		List<Key> keys = new ArrayList<>();
		// enclosing keys: indent, name, whether it or one of its parents is a value documented whole
		Deque<Object[]> enclosing = new ArrayDeque<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher matcher = KEY.matcher(lines.get(i));
			if (!matcher.matches()) {
				continue;
			}
			int indent = matcher.group(1).length();
			while (!enclosing.isEmpty() && (int) enclosing.peek()[0] >= indent) {
				enclosing.pop();
			}
			boolean insideValue = !enclosing.isEmpty() && (boolean) enclosing.peek()[2];
			List<String> comment = new ArrayList<>();
			for (int j = i - 1; j >= 0 && lines.get(j).strip().startsWith("#"); j--) {
				comment.add(0, lines.get(j).strip());
			}
			boolean value = !comment.isEmpty() && comment.get(0).startsWith("# --");
			StringBuilder path = new StringBuilder();
			enclosing.descendingIterator().forEachRemaining((parent) -> path.append(parent[1]).append('.'));
			path.append(matcher.group(2));
			if (!insideValue) {
				String description = String.join(" ",
						comment.stream().map((line) -> line.replaceFirst("^# ?(-- ?)?", "").strip()).toList()).strip();
				keys.add(new Key(path.toString(), description, value, i + 1));
			}
			enclosing.push(new Object[] { indent, matcher.group(2), insideValue || value });
		}
		return keys;
	}

	/**
	 * The keys documented as values (the rows of the chart's README).
	 * @return the keys with a "# --" comment
	 */
	static List<Key> values() {
		return keys().stream().filter(Key::value).toList();
	}

	/**
	 * The default of a key, from values.yaml.
	 * @param path the dotted path
	 * @return the value, or {@code null}
	 */
	static Object defaultOf(String path) {
		Object current = Chart.defaultValues();
		for (String step : path.split("\\.")) {
			current = ((Map<?, ?>) current).get(step);
		}
		return current;
	}

}
