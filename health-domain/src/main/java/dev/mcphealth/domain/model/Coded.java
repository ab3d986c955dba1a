package dev.mcphealth.domain.model;

/** An enum whose constants have a stable lower-case code, the spelling used in the schema and in every output. */
public interface Coded {
    String code();

    /** The constant of {@code type} whose code is {@code code}; the message lists the legal codes. */
    static <E extends Enum<E> & Coded> E parse(Class<E> type, String code, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.code().equals(code)) {
                return e;
            }
        }
        StringBuilder legal = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            legal.append(legal.length() == 0 ? "" : ", ").append(e.code());
        }
        throw new IllegalArgumentException(what + " must be one of " + legal + ", got " + Text.quote(code));
    }
}
