package io.tcpresponder.responder.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * PROXY protocol headers by outcome over the life of the process, across restarts and changes of the setting.
 */
public final class HeaderCounts {

	private final Map<HeaderOutcome, LongAdder> counts = new EnumMap<>(HeaderOutcome.class);

	public HeaderCounts() {
		for (HeaderOutcome outcome : HeaderOutcome.values()) {
			this.counts.put(outcome, new LongAdder());
		}
	}

	public void on(HeaderOutcome outcome) {
		this.counts.get(outcome).increment();
	}

	public long count(HeaderOutcome outcome) {
		return this.counts.get(outcome).sum();
	}

}
