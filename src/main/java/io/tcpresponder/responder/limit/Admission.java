package io.tcpresponder.responder.limit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The connections held, in all and by client, against the {@link ConnectionLimits}: the accept threads admit each
 * connection here before its line, and its end releases it. One lock keeps the total and the client's count
 * together; it is held for a map lookup, next to the accept, write and close that each connection costs anyway. The
 * map has a client only while it holds a connection, so it never outgrows {@code max-connections}.
 */
public final class Admission {

	private volatile ConnectionLimits limits;

	private final Map<ClientKey, Count> byClient = new HashMap<>();

	private int held;

	public Admission(ConnectionLimits limits) {
		this.limits = limits;
	}

	public ConnectionLimits limits() {
		return this.limits;
	}

	/**
	 * Applies new limits to the connections that come next; those held already stay.
	 * @param limits the limits
	 */
	public void limits(ConnectionLimits limits) {
		this.limits = limits;
	}

	/**
	 * Holds a connection of a client, unless a limit is reached.
	 * @param client the client
	 * @return {@code null} when held, to be {@link #release released}; else the limit it is over
	 */
	public synchronized @Nullable Refusal admit(ClientKey client) {
		ConnectionLimits limits = this.limits;
		if (this.held >= limits.maxConnections()) {
			return Refusal.MAX_CONNECTIONS;
		}
		Count count = this.byClient.get(client);
		if (count == null) {
			count = new Count();
			this.byClient.put(client, count);
		}
		else if (limits.maxConnectionsPerClient() > 0 && count.value >= limits.maxConnectionsPerClient()) {
			return Refusal.MAX_CONNECTIONS_PER_CLIENT;
		}
		count.value++;
		this.held++;
		return null;
	}

	/**
	 * Holds a connection whose client is not known yet, as it waits for its PROXY protocol header: against
	 * {@code max-connections} alone, until {@link #name} names its client.
	 * @return {@code null} when held, to be named or {@link #releaseUnnamed released}; else the limit it is over
	 */
	public synchronized @Nullable Refusal admitUnnamed() {
		if (this.held >= this.limits.maxConnections()) {
			return Refusal.MAX_CONNECTIONS;
		}
		this.held++;
		return null;
	}

	/**
	 * Names the client of a connection that {@link #admitUnnamed} held: held against the client's limit too, to be
	 * {@link #release released} as the client's; or, over that limit, let go of.
	 * @param client the client
	 * @return {@code null} when held; else the limit it is over, and the connection is no longer held
	 */
	public synchronized @Nullable Refusal name(ClientKey client) {
		Count count = this.byClient.get(client);
		int perClient = this.limits.maxConnectionsPerClient();
		if (count != null && perClient > 0 && count.value >= perClient) {
			this.held--;
			return Refusal.MAX_CONNECTIONS_PER_CLIENT;
		}
		if (count == null) {
			count = new Count();
			this.byClient.put(client, count);
		}
		count.value++;
		return null;
	}

	/**
	 * Lets go of a connection that {@link #admitUnnamed} held and nothing named.
	 */
	public synchronized void releaseUnnamed() {
		this.held--;
	}

	/**
	 * Lets go of a connection that {@link #admit} held.
	 * @param client its client
	 */
	public synchronized void release(ClientKey client) {
		Count count = this.byClient.get(client);
		if (count != null && --count.value == 0) {
			this.byClient.remove(client);
		}
		this.held--;
	}

	/**
	 * What is held now.
	 * @param top how many of the busiest clients to tell
	 * @return the connections held, the clients holding them, and the busiest
	 */
	public synchronized Held held(int top) {
		List<Client> busiest = new ArrayList<>();
		if (top > 0) {
			this.byClient.forEach((client, count) -> busiest.add(new Client(client.toString(), count.value)));
			busiest.sort(Comparator.comparingInt(Client::held).reversed().thenComparing(Client::client));
		}
		return new Held(this.held, this.byClient.size(), busiest.subList(0, Math.min(top, busiest.size())));
	}

	/**
	 * The connections held by the busiest client, 0 for none: a gauge that needs no series per client.
	 * @return the connections
	 */
	public synchronized int busiestClient() {
		int most = 0;
		for (Count count : this.byClient.values()) {
			most = Math.max(most, count.value);
		}
		return most;
	}

	private static final class Count {

		private int value;

	}

	/**
	 * Connections held at one moment.
	 *
	 * @param connections connections held
	 * @param clients clients holding them
	 * @param top the busiest clients, most connections first
	 */
	public record Held(int connections, int clients, List<Client> top) {

		public Held {
			top = List.copyOf(top);
		}

	}

	/**
	 * A client and the connections it holds.
	 *
	 * @param client its address, or its network where the prefix is shorter ({@code 2001:db8:1:2::/64})
	 * @param held the connections it holds
	 */
	public record Client(String client, int held) {
	}

}
