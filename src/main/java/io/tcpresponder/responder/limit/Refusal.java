package io.tcpresponder.responder.limit;

/**
 * Why a connection was refused: which of the {@link ConnectionLimits} it was over.
 */
public enum Refusal {

	/** The responder held {@code max-connections} already. */
	MAX_CONNECTIONS("max-connections"),

	/** Its client held {@code max-connections-per-client} already. */
	MAX_CONNECTIONS_PER_CLIENT("max-connections-per-client");

	private final String value;

	Refusal(String value) {
		this.value = value;
	}

	/**
	 * The reason as metrics and the access log name it.
	 * @return such as {@code max-connections}
	 */
	public String value() {
		return this.value;
	}

}
