package io.tcpresponder.responder.connection;

import java.time.Duration;

/**
 * A close mode's behaviour: what follows the line. One class per mode, registered in {@link CloseMode}.
 */
interface CloseBehaviour {

	/**
	 * What follows the line on every connection.
	 * @param clientCloseTimeout {@code responder.client-close-timeout}
	 * @return what follows the line
	 */
	AfterLine afterLine(Duration clientCloseTimeout);

}
