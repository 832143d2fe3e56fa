package io.tcpresponder.responder.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The annotated address must be one a listener can bind on this host: the wildcard address, a loopback address, or
 * an address of one of its network interfaces. {@code null} is valid.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = LocalAddress.Validator.class)
public @interface LocalAddress {

	String message() default "must be an address of this host (or unset, for every local address)";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<LocalAddress, InetAddress> {

		@Override
		public boolean isValid(InetAddress address, ConstraintValidatorContext context) {
			return address == null || isLocal(address);
		}

		/**
		 * Whether a listener can bind the address on this host.
		 * @param address the address
		 * @return whether it is the wildcard, a loopback address or an address of a network interface
		 */
		static boolean isLocal(InetAddress address) {
			if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
				return true;
			}
			try {
				return NetworkInterface.getByInetAddress(address) != null;
			}
			catch (SocketException ex) {
				return false;
			}
		}

	}

}
