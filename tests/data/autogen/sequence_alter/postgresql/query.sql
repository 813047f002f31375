SELECT increment_by, min_value, max_value, start_value, cycle
  FROM pg_sequences WHERE sequencename = 'ticket_numbers';
