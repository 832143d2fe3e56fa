package io.tcpresponder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A TCP responder that writes one line to every client and closes the connection first, managed over HTTP.
 */
@SpringBootApplication
public class TcpResponderApplication {

	public static void main(String[] args) {
		SpringApplication.run(TcpResponderApplication.class, args);
	}

}
