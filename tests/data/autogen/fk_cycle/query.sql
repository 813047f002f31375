INSERT INTO departments (id, name) VALUES (1, 'Research');
INSERT INTO employees (id, name, department_id) VALUES (1, 'Ada', 1);
UPDATE departments SET manager_id = 1 WHERE id = 1;
SELECT d.name, e.name FROM departments d JOIN employees e ON e.id = d.manager_id;
