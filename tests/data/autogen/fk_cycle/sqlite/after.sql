-- departments and employees refer to each other, and employees to itself.
CREATE TABLE sites (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL
);

CREATE TABLE departments (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    manager_id integer,
    CONSTRAINT fk_departments_manager_id_employees FOREIGN KEY (manager_id)
        REFERENCES employees (id)
);

CREATE TABLE employees (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL,
    department_id integer,
    mentor_id integer,
    CONSTRAINT fk_employees_department_id_departments
        FOREIGN KEY (department_id) REFERENCES departments (id),
    CONSTRAINT fk_employees_mentor_id_employees FOREIGN KEY (mentor_id)
        REFERENCES employees (id)
);
