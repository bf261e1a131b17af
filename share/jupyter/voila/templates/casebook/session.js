/* The session: a kernel that dies or is culled is said in French. */
